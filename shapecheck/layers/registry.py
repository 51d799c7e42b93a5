"""Every plug-in layer, by Keras's class name: found by walking this package's folders (stdlib only)."""

from __future__ import annotations

import pkgutil
from functools import cache
from importlib import import_module

from shapecheck.layers.base import KerasLayerSpec, suggestion  # noqa: F401 - suggestion is asked for here too


@cache
def layer_types() -> dict[str, type[KerasLayerSpec]]:
    """{"Conv2D": Conv2D, "MaxPooling2D": MaxPooling2D, ...}: the spec classes of every plug-in folder."""
    import shapecheck.layers as package

    found: dict[str, type[KerasLayerSpec]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.ispkg:
            module = import_module(f"shapecheck.layers.{info.name}.spec")
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, KerasLayerSpec) and value.kind and value.__module__ == module.__name__:
                    found[value.kind] = value
    for alias, kind in ALIASES.items():
        found[alias] = found[kind]
    first = {kind: found[kind] for kind in COURSE if kind in found}
    return {**first, **found}


COURSE = ("Dense", "SimpleRNN", "LSTM", "GRU")  # the course's own layers, named first wherever layers are listed


ALIASES = {"MaxPool2D": "MaxPooling2D", "AvgPool2D": "AveragePooling2D"}  # Keras's other names for them


# Keras layers a student meets that shapecheck does not model yet: True for a layer without weights
NOT_MODELLED = {
    "Reshape": True, "Permute": True, "RepeatVector": True, "Cropping2D": True, "UpSampling2D": True,
    "GlobalAveragePooling2D": True, "GlobalMaxPooling2D": True, "GlobalAveragePooling1D": True,
    "GlobalMaxPooling1D": True, "MaxPooling1D": True, "AveragePooling1D": True, "LeakyReLU": True,
    "Softmax": True, "ELU": True, "SpatialDropout2D": True, "GaussianNoise": True, "Masking": True,
    "Conv1D": False, "Conv3D": False, "Conv2DTranspose": False, "SeparableConv2D": False,
    "DepthwiseConv2D": False, "LayerNormalization": False, "Bidirectional": False, "TimeDistributed": False,
    "MultiHeadAttention": False, "PReLU": False,
}
