"""Checkers for chapter 24, "A hybrid network: convolution first, attention later".

Exercise ids:

* ``hyb-token-count``      tokens of a ViT on a 32x32 image with 4x4 patches, and entries of one head's attention matrix
* ``hyb-block-params``     parameters of a pre-norm transformer block, D = 64, MLP ratio 4, bias-free qkv
* ``hyb-attention-macs``   multiply-adds of multi-head self-attention on an 8x8 map, D = 48, 4 heads
* ``hyb-vit-params``       a function ``vit_params(image_size, patch_size, in_channels, dim, depth, mlp_ratio,
  num_classes)`` that counts the parameters of :class:`convlab.models.VisionTransformer`
* ``hyb-invariant-shifts`` smallest horizontal shifts that leave a circularly padded ConvNet and a ViT with 8x8
  patches and no positional embedding exactly unchanged
"""

from __future__ import annotations

from ..cost import count_params
from ..models.hybrid import TransformerBlock, VisionTransformer
from .compare import compare_array, compare_function, compare_number
from .registry import register

# ------------------------------------------------------------ tokens after patching
SIDE, PATCH = 32, 4
N_TOKENS = (SIDE // PATCH) ** 2  # 64
TOKENS = [N_TOKENS, N_TOKENS**2]  # [64, 4096]


@register(
    "hyb-token-count",
    reference=lambda: TOKENS,
    planted=[
        (lambda: [SIDE // PATCH, (SIDE // PATCH) ** 2], "per side"),
        (
            lambda: [SIDE * SIDE // PATCH, (SIDE * SIDE // PATCH) ** 2],
            "p^2",
        ),
        (lambda: [PATCH * PATCH, PATCH**4], "pixels in one patch"),
        (lambda: [N_TOKENS, N_TOKENS], "n x n"),
    ],
)
def check_token_count(answer):
    """[n, entries of one head's attention matrix] for a 32x32 image cut into 4x4 patches."""
    per_side = SIDE // PATCH
    return compare_array(
        answer,
        TOKENS,
        [
            (
                [per_side, per_side**2],
                "that is the number of patches per side; the patches tile the image in both "
                "directions, so n = (S / p)^2.",
            ),
            (
                [SIDE * SIDE // PATCH, (SIDE * SIDE // PATCH) ** 2],
                "a patch holds p^2 = 16 pixels, not p: divide the "
                "S^2 pixels by p^2.",
            ),
            (
                [PATCH * PATCH, PATCH**4],
                "16 is the number of pixels in one patch; count the patches instead.",
            ),
            (
                [N_TOKENS, N_TOKENS],
                "the attention matrix has one entry for every pair (i, j) of tokens: n x n of them.",
            ),
        ],
        shape_hints={
            (
                1,
            ): "give two numbers: [tokens, entries of the attention matrix]."
        },
        what="a list [tokens, entries]",
    )


# ------------------------------------------------------------ parameters of a transformer block
D_BLOCK, R_BLOCK = 64, 4
BLOCK_PARAMS = count_params(
    TransformerBlock(D_BLOCK, heads=4, mlp_ratio=R_BLOCK)
)  # (4 + 2r) D^2 + (6 + r) D


def _block(D, r, extra=0):
    return (4 + 2 * r) * D * D + (6 + r) * D + extra


@register(
    "hyb-block-params",
    reference=lambda: BLOCK_PARAMS,
    planted=[
        (lambda: (4 + 2 * R_BLOCK) * D_BLOCK**2, "biases"),
        (lambda: _block(D_BLOCK, R_BLOCK, 3 * D_BLOCK), "no bias"),
        (lambda: _block(D_BLOCK, R_BLOCK, -4 * D_BLOCK), "layer norm"),
        (lambda: _block(D_BLOCK, 1), "r D"),
        (
            lambda: _block(D_BLOCK, R_BLOCK) - D_BLOCK**2 - D_BLOCK,
            "output projection",
        ),
    ],
)
def check_block_params(answer):
    """Parameters of a pre-norm transformer block, D = 64, r = 4, bias-free W_qkv, no relative bias."""
    D, r = D_BLOCK, R_BLOCK
    return compare_number(
        answer,
        BLOCK_PARAMS,
        [
            (
                (4 + 2 * r) * D**2,
                "you counted the weight matrices only; add the biases (W_o and both MLP layers) and "
                "the scale and shift of the two layer norms.",
            ),
            (
                _block(D, r, 3 * D),
                "this block's W_qkv has no bias (as in the chapter); remove its 3D biases.",
            ),
            (
                _block(D, r, -4 * D),
                "each of the two layer norms has a learned scale and shift: 2D parameters each.",
            ),
            (
                _block(D, 1),
                "the MLP widens to r D = 256 features: its two layers have r D^2 weights each.",
            ),
            (
                _block(D, r) - D * D - D,
                "the heads' outputs are concatenated and mixed by the output projection W_o "
                "(D^2 weights and D biases).",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ multiply-adds of attention
SIDE_MAP, D_MAP, HEADS_MAP = 8, 48, 4
N_MAP = SIDE_MAP * SIDE_MAP
ATTENTION_MACS = (
    4 * N_MAP * D_MAP**2 + 2 * N_MAP**2 * D_MAP
)  # = count_macs(MultiHeadSelfAttention(48, 4), (64, 48))


@register(
    "hyb-attention-macs",
    reference=lambda: ATTENTION_MACS,
    planted=[
        (lambda: 4 * N_MAP * D_MAP**2, "n^2"),
        (lambda: 2 * N_MAP**2 * D_MAP, "projections"),
        (
            lambda: 3 * N_MAP * D_MAP**2 + 2 * N_MAP**2 * D_MAP,
            "output projection",
        ),
        (lambda: ATTENTION_MACS // HEADS_MAP, "heads"),
        (lambda: HEADS_MAP * ATTENTION_MACS, "heads"),
        (lambda: 4 * N_MAP * D_MAP**2 + 2 * N_MAP * D_MAP, "pair"),
    ],
)
def check_attention_macs(answer):
    """Multiply-adds of multi-head self-attention (with W_qkv and W_o) on 8x8 = 64 tokens, D = 48, 4 heads."""
    n, D, h = N_MAP, D_MAP, HEADS_MAP
    return compare_number(
        answer,
        ATTENTION_MACS,
        [
            (
                4 * n * D**2,
                "that is the four projections (W_qkv and W_o); add the logits q.k and the weighted sums "
                "over all n^2 pairs of tokens.",
            ),
            (
                2 * n**2 * D,
                "that is the logits and the weighted sums; add the projections W_qkv (3 n D^2) and W_o (n D^2).",
            ),
            (
                3 * n * D**2 + 2 * n**2 * D,
                "add the output projection W_o that mixes the heads: n D^2 more.",
            ),
            (
                ATTENTION_MACS // h,
                "the heads split D into h parts of d = D / h, and every head does its own n^2 d: "
                "the total is the same as for one head of width D; do not divide by h.",
            ),
            (
                h * ATTENTION_MACS,
                "each head works with d = D / h features, so the heads together do n^2 D, not h n^2 D; "
                "do not multiply by h.",
            ),
            (
                4 * n * D**2 + 2 * n * D,
                "the logits and weighted sums run over every pair (i, j): n^2 D each, with n = 64.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ write vit_params
def _vit_params(
    image_size, patch_size, in_channels, dim, depth, mlp_ratio, num_classes
):
    model = VisionTransformer(
        image_size=int(image_size),
        patch_size=int(patch_size),
        num_classes=int(num_classes),
        in_channels=int(in_channels),
        dim=int(dim),
        depth=int(depth),
        heads=1,
        mlp_ratio=int(mlp_ratio),
    )
    return count_params(model)


def _formula(
    image_size,
    patch_size,
    in_channels,
    dim,
    depth,
    mlp_ratio,
    num_classes,
    *,
    pos=True,
    final_norm=True,
    qkv_bias=False,
    tokens_squared=True,
):
    side = image_size // patch_size
    n = side * side if tokens_squared else side
    D, r = dim, mlp_ratio
    total = in_channels * patch_size**2 * D + D  # patch embedding
    total += n * D if pos else 0  # positional embedding
    total += depth * (
        (4 + 2 * r) * D * D + (6 + r) * D + (3 * D if qkv_bias else 0)
    )
    total += 2 * D if final_norm else 0
    return total + D * num_classes + num_classes  # classifier


def _no_pos(*args):
    return _formula(*args, pos=False)


def _no_final_norm(*args):
    return _formula(*args, final_norm=False)


def _qkv_bias(*args):
    return _formula(*args, qkv_bias=True)


def _tokens_per_side(*args):
    return _formula(*args, tokens_squared=False)


VIT_CASES = [
    (16, 4, 1, 28, 2, 4, 4),
    (32, 4, 3, 64, 6, 4, 10),
    (32, 8, 3, 48, 1, 2, 100),
    (24, 2, 1, 16, 3, 1, 7),
]


@register(
    "hyb-vit-params",
    reference=lambda: _formula,
    planted=[
        (lambda: _no_pos, "positional embedding"),
        (lambda: _no_final_norm, "final layer norm"),
        (lambda: _qkv_bias, "no bias"),
        (lambda: _tokens_per_side, "(S / p)^2"),
        (lambda: lambda *args: None, "return"),
    ],
)
def check_vit_params(answer):
    """A function vit_params(image_size, patch_size, in_channels, dim, depth, mlp_ratio, num_classes) -> int,
    compared with count_params of convlab.models.VisionTransformer."""
    return compare_function(
        answer,
        VIT_CASES,
        _vit_params,
        diagnoses=[
            (
                _no_pos,
                "add the learned positional embedding: one D-vector per token, n D parameters.",
            ),
            (
                _no_final_norm,
                "add the final layer norm before the mean over tokens: 2D parameters.",
            ),
            (
                _qkv_bias,
                "the blocks' W_qkv has no bias: (4 + 2r) D^2 + (6 + r) D per block.",
            ),
            (
                _tokens_per_side,
                "the number of tokens is (S / p)^2, one per patch, not S / p.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ exact invariance
SHIFTS = [
    4,
    8,
]  # ConvNet with circular padding (two stride-2 stages), ViT with 8x8 patches and pos = 0


@register(
    "hyb-invariant-shifts",
    reference=lambda: SHIFTS,
    planted=[
        (lambda: [2, 8], "stride"),
        (lambda: [4, 1], "patch"),
        (lambda: [1, 1], "grid"),
        (lambda: [8, 4], "order"),
        (lambda: [16, 16], "smallest"),
    ],
)
def check_invariant_shifts(answer):
    """[ConvNet with circular padding, ViT with 8x8 patches and zero positional embedding]: the smallest positive
    horizontal (circular) shift in pixels that leaves the logits of a 16x16 image unchanged."""
    return compare_array(
        answer,
        SHIFTS,
        [
            (
                [2, 8],
                "one stride-2 stage needs an even shift, but the next one needs an even shift of *its* input, "
                "which is half as large: the strides multiply, 2 x 2 = 4.",
            ),
            (
                [4, 1],
                "a shift by less than a patch changes what every patch contains; the tokens are only permuted "
                "when the image moves by whole patches.",
            ),
            (
                [1, 1],
                "a one-pixel shift moves the image off the sampling grid of the strided layers (and of the "
                "patches), so the outputs change.",
            ),
            ([8, 4], "right numbers, wrong order: give [ConvNet, ViT]."),
            (
                [16, 16],
                "a shift by the whole width (16) leaves every image unchanged; look for the smallest one.",
            ),
        ],
        shape_hints={(1,): "give two numbers: [ConvNet, ViT]."},
        what="a list [ConvNet shift, ViT shift]",
    )
