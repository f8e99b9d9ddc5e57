from apacore import hookimpl


@hookimpl
def register_annex_types(register):
    register("climate")
