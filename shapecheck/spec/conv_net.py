"""A conv net in the course's shorthand, one string per layer (stdlib): what ``shapecheck shapes --input`` reads.

    conv_net("64x64x3", ["conv f=7 s=1 p=3 c=32 relu", "pool f=2 s=2", "flatten", "dense n=1 sigmoid"])

Steps (keys as the course writes them; f the window, s the stride, p the padding, c the filters n_C):
``conv f= c= [s=1] [p=0|same|valid] [activation]``, ``pool f=2 [s=f]`` (max; ``avgpool`` for the
mean), ``pad p=``, ``flatten``, ``dense n= [activation]``, ``bn``, ``dropout rate=``, ``relu``.
Each becomes the Keras layer it stands for (conv → Conv2D, pool → MaxPooling2D, ...), so the trace
and the summary are those of the same network written in Keras.

>>> conv_net("64x64x3", ["conv f=7 s=1 p=3 c=32", "pool f=2 s=2"]).layer_shapes()[-1][1]
(32, 32, 32)
"""

from __future__ import annotations

from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.base import ACTIVATIONS, suggestion

# step word -> (Keras class, {course key: Keras argument}, required keys)
STEPS = {
    "conv": ("Conv2D", {"f": "kernel_size", "s": "strides", "p": "padding", "c": "filters"}, ("f", "c")),
    "pool": ("MaxPooling2D", {"f": "pool_size", "s": "strides"}, ()),
    "maxpool": ("MaxPooling2D", {"f": "pool_size", "s": "strides"}, ()),
    "avgpool": ("AveragePooling2D", {"f": "pool_size", "s": "strides"}, ()),
    "pad": ("ZeroPadding2D", {"p": "padding"}, ("p",)),
    "flatten": ("Flatten", {}, ()),
    "dense": ("Dense", {"n": "units"}, ("n",)),
    "bn": ("BatchNormalization", {}, ()),
    "dropout": ("Dropout", {"rate": "rate"}, ("rate",)),
    "relu": ("ReLU", {}, ()),
}
TAKES_ACTIVATION = ("conv", "dense")


def parse_input(text: str) -> tuple[int, int, int]:
    """"64x64x3" (or "64,64,3"): n_H, n_W, n_C of one image, channels last."""
    parts = str(text).lower().replace(",", "x").replace(" ", "x").split("x")
    parts = [p for p in parts if p]
    if len(parts) != 3 or not all(p.isdigit() and int(p) >= 1 for p in parts):
        raise ShapecheckError("conv.form_bad_input", value=text)
    return int(parts[0]), int(parts[1]), int(parts[2])


def _value(step: str, key: str, raw: str) -> int | float | str:
    if key == "rate":
        try:
            return float(raw)
        except ValueError:
            raise ShapecheckError("conv.form_bad_value", step=step, key=key, value=raw) from None
    if key == "p" and raw in ("same", "valid"):
        return raw
    if raw.lstrip("-").isdigit():
        return int(raw)
    raise ShapecheckError("conv.form_bad_value", step=step, key=key, value=raw)


def parse_step(text: str):
    """One step string -> the Keras layer it stands for."""
    from shapecheck.spec.networks import layer_type  # the registry of every layer

    words = str(text).split()
    if not words:
        raise ShapecheckError("conv.form_empty_step")
    word = words[0].lower()
    if word not in STEPS:
        near = suggestion(word, list(STEPS))
        raise ShapecheckError("conv.form_unknown_step", step=text, word=word, known=", ".join(STEPS),
                              hint=f" ({near}?)" if near else "")
    kind, keys, required = STEPS[word]
    arguments: dict[str, object] = {}
    for token in words[1:]:
        key, equals, raw = token.partition("=")
        if not equals:
            if word in TAKES_ACTIVATION and token in ACTIVATIONS:
                arguments["activation"] = token
                continue
            if word == "conv" and token in ("same", "valid"):
                arguments["padding"] = token
                continue
            raise ShapecheckError("conv.form_unknown_key", step=text, key=token, known=", ".join(f"{k}=" for k in keys) or "-")
        if key not in keys:
            raise ShapecheckError("conv.form_unknown_key", step=text, key=key, known=", ".join(f"{k}=" for k in keys) or "-")
        arguments[keys[key]] = _value(text, key, raw)
    missing = [k for k in required if keys[k] not in arguments]
    if missing:
        raise ShapecheckError("conv.form_missing", step=text, keys=", ".join(f"{k}=" for k in missing))
    return layer_type(kind)(**arguments)


def conv_net(input_shape: str | tuple[int, int, int], steps: list[str]):
    """A Sequential from an image size and step strings, the first layer given the image's shape."""
    from shapecheck.spec.networks import Sequential

    shape = parse_input(input_shape) if isinstance(input_shape, str) else tuple(input_shape)
    if not steps:
        raise ShapecheckError("conv.form_no_steps")
    layers = [parse_step(step) for step in steps]
    layers[0].input_shape = shape
    return Sequential(layers)
