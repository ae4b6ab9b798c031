"""IR -> view: every decision about the Python text, so templates only lay it out.

A view holds ready strings (annotations, defaults, ``Field(...)`` arguments) and
plain lists; the Jinja templates loop over them and never decide anything. One
module per thing built: ``types`` (spelling values and types), ``models``,
``methods`` (and resources), ``auth`` (credentials), ``package`` (the whole SDK).
"""

from .methods import MethodView, ResourceView, method_view, walk
from .models import FieldView, ModelView, ParamDictView
from .package import SdkView, build_view
from .types import IMPORTS_MARKER, TypeSpeller

__all__ = [
    "IMPORTS_MARKER",
    "FieldView",
    "MethodView",
    "ModelView",
    "ParamDictView",
    "ResourceView",
    "SdkView",
    "TypeSpeller",
    "build_view",
    "method_view",
    "walk",
]
