"""The classic convolutional architectures, built exactly (Part IV of the course).

Every constructor takes ``num_classes`` and ``in_channels``; the families also take a
width multiplier ``width`` (channels scaled and rounded as each module documents), so the
chapters can train small versions of the real design on a CPU. At full size
(``num_classes=1000``, ``in_channels=3``, ``width=1.0``) the parameter counts equal the
published ones; ``tests/test_models_*.py`` assert each count.

Inputs are NCHW tensors; outputs are logits of shape ``(N, num_classes)``.
"""

from .resnet import resnet18, resnet34, resnet50, resnext50_32x4d
from .densenet import densenet121
from .mobilenet import mobilenet_v1, mobilenet_v2
from .alexnet import alexnet
from .vgg import vgg11, vgg16
from .nin import nin
from .googlenet import googlenet
from .lenet import lenet5, lenet5_1998
from .attention_cnn import attention_cnn
from .hybrid import ConvNet, HybridNet, VisionTransformer
from .wide_resnet import wide_resnet
from .aspp import ASPP

__all__ = [
    "resnet18",
    "resnet34",
    "resnet50",
    "resnext50_32x4d",
    "densenet121",
    "mobilenet_v1",
    "mobilenet_v2",
    "alexnet",
    "vgg11",
    "vgg16",
    "nin",
    "googlenet",
    "lenet5",
    "lenet5_1998",
    "attention_cnn",
    "ConvNet",
    "HybridNet",
    "VisionTransformer",
    "wide_resnet",
    "ASPP",
]
