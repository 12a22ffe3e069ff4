"""The classic convolutional architectures, built exactly (Part IV of the course).

Every constructor takes ``num_classes`` and ``in_channels``; the families also take a
width multiplier ``width`` (channels scaled and rounded as each module documents), so the
chapters can train small versions of the real design on a CPU. At full size
(``num_classes=1000``, ``in_channels=3``, ``width=1.0``) the parameter counts equal the
published ones; ``tests/test_models_*.py`` assert each count.

Inputs are NCHW tensors; outputs are logits of shape ``(N, num_classes)``.
"""

__all__: list[str] = []

# One line per family module (each helper/author adds its own):
from .resnet import resnet18, resnet34, resnet50, resnext50_32x4d

__all__ += ["resnet18", "resnet34", "resnet50", "resnext50_32x4d"]
from .densenet import densenet121

__all__ += ["densenet121"]
from .mobilenet import mobilenet_v1, mobilenet_v2

__all__ += ["mobilenet_v1", "mobilenet_v2"]
from .alexnet import alexnet
from .vgg import vgg11, vgg16

__all__ += ["alexnet", "vgg11", "vgg16"]
from .nin import nin
from .googlenet import googlenet

__all__ += ["nin", "googlenet"]
from .lenet import lenet5, lenet5_1998  # noqa: E402

__all__ += ["lenet5", "lenet5_1998"]
from .attention_cnn import attention_cnn  # noqa: E402

__all__ += ["attention_cnn"]
from .hybrid import ConvNet, HybridNet, VisionTransformer  # noqa: E402

__all__ += ["ConvNet", "HybridNet", "VisionTransformer"]
from .wide_resnet import wide_resnet  # noqa: E402

__all__ += ["wide_resnet"]
from .aspp import ASPP  # noqa: E402

__all__ += ["ASPP"]
