from apacore import hookimpl
from apacore.plugins.contract import AnnexType


@hookimpl
def register_annex_types(register):
    register(AnnexType(kind="climate", name_en="Climate", titles="climate"))
