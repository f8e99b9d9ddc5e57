from apacore import hookimpl


@hookimpl
def ruleset_directories():
    return "/tmp"
