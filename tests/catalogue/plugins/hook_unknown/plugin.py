from apacore import hookimpl


@hookimpl
def register_colours(register):
    pass
