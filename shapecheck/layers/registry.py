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


def layer_type(kind: object) -> type[KerasLayerSpec] | None:
    """The spec class Keras calls ``kind`` (None for no layer of ours). A folder named after the layer (Dense in
    dense/, SimpleRNN in simple_rnn/, Conv2D in conv2d/) is the only one imported: a spec file of three layers
    need not load all of them (most of ``shapecheck summary``'s start-up). Any other name asks every folder."""
    if isinstance(kind, str):
        folder = _folders().get(kind.lower())
        if folder is not None:
            module = import_module(f"shapecheck.layers.{folder}.spec")
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, KerasLayerSpec) and value.kind == kind \
                        and value.__module__ == module.__name__:
                    return value
    return layer_types().get(kind) if isinstance(kind, str) else None


@cache
def _folders() -> dict[str, str]:
    """The plug-in folders by their names without underscores: {"simplernn": "simple_rnn", "dense": "dense", ...}."""
    import shapecheck.layers as package

    return {info.name.replace("_", ""): info.name for info in pkgutil.iter_modules(package.__path__) if info.ispkg}


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
