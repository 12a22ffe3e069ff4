"""Hints for every exercise of the course, by exercise id.

Each exercise has one to three hints, in order: a nudge first, then the key
step. A hint never states the answer (``tests/test_hints.py`` checks that no
value of a reference answer appears in it). ``hint("exercise-id")`` and the
book's "Hint" button read this table; the solution stays in the notebook's
folded solution cell.

Add the hints of a new exercise here when you register its checker (see
CONTRIBUTING.md): the test suite requires one to three per exercise.
"""

from __future__ import annotations

__all__ = ["HINTS"]

HINTS: dict[str, tuple[str, ...]] = {
    # Chapter 1: continuous convolution
    "cc-box-box-value": (
        "Draw both boxes: f covers [-a/2, a/2]; g flipped and shifted to t"
        " covers [t - b/2, t + b/2].",
        "Both boxes have height 1, so (f*g)(t) is simply the length of the"
        " interval where the two supports overlap.",
    ),
    "cc-support-width": (
        "(f*g)(t) is non-zero exactly for the shifts t at which the "
        "flipped, shifted g still overlaps f.",
        "Find the first and the last such t: the endpoints of the two "
        "supports add.",
    ),
    "cc-gaussian-sigma": (
        "Convolving two densities gives the density of the sum of two "
        "independent variables.",
        "For independent variables the variances add, not the standard "
        "deviations: add the squares, then take the square root.",
    ),
    "cc-area": (
        "Write the area as a double integral over t and tau and integrate "
        "over t first.",
        "The area of f*g is the area of f times the area of g; a normal "
        "density has area 1 and a box has area width times height.",
    ),
    "cc-riemann": (
        "Build the N midpoints tau_j (N = round(1 / step)) with np.arange "
        "or a loop over j.",
        "Evaluate cc.box(tau_j) * cc.decay(t - tau_j): g is evaluated at t"
        " minus tau, that is where the flip is.",
        "Sum the products, multiply by step, and return a plain number "
        "(float(...)), not an array.",
    ),
    # Chapter 2: discrete convolution and cross-correlation
    "dc-conv-by-hand": (
        "The full convolution of an input of length n with a kernel of "
        "length n_k has n + n_k - 1 outputs.",
        "For each output t add x[m] * k[t - m] over the m for which both "
        "indices exist; equivalently slide the *flipped* kernel over x.",
    ),
    "dc-corr2d-by-hand": (
        "Cross-correlation does not flip K: place K on each 2x2 window of "
        "X.",
        "Y[i, j] is the sum of the elementwise product of K with the "
        "window X[i:i+2, j:j+2]; Y[0, 0] uses the top-left window.",
    ),
    "dc-mode-lengths": (
        "Count the positions of the kernel that overlap the input in at "
        "least one sample (full) and those where it lies completely inside"
        " (valid).",
        "'same' is named for what it keeps equal to the input. Answer in "
        "the order full, same, valid.",
    ),
    "dc-write-conv1d": (
        "Start from np.zeros(len(x) + len(k) - 1).",
        "Scatter instead of gather: for every pair (m, j), add x[m] * k[j]"
        " to y[m + j]. This does the flip for you and works when k is "
        "longer than x.",
        "Do not forget to return y.",
    ),
    "dc-write-corr2d": (
        "The valid output has shape (H - kh + 1, W - kw + 1).",
        "For each (i, j), sum X[i:i+kh, j:j+kw] * K, without flipping K.",
    ),
    # Chapter 3: properties
    "prop-circular-by-hand": (
        "Use the formula given with the exercise, once for each t.",
        "Indices wrap around: for t = 0, the index (t - 1) mod 4 is the "
        "last sample of x.",
    ),
    "prop-fft-length": (
        "A circular convolution of length L equals the linear one as long "
        "as the linear result fits in L samples: then nothing wraps "
        "around.",
        "How many samples does the 'full' output of an input of length n "
        "and a kernel of length n_k have? Nothing asks for a power of "
        "two.",
    ),
    "prop-separate-kernel": (
        "Every row of K is a multiple of one row: take that row as v.",
        "u holds, top to bottom, the multiplier of v in each row of K, "
        "signs included. Check with np.outer(u, v).",
    ),
    "prop-shift-equivariance": (
        "Compare op(np.roll(x, s)) with np.roll(op(x), s).",
        "Compare with np.allclose, not ==, and return a real bool "
        "(bool(...)), not an array.",
    ),
    # Chapter 4: constraining the MLP
    "mlp-dense-params": (
        "Every output pixel is connected to every input pixel.",
        "Multiply the number of outputs by the number of inputs, then add "
        "one bias per output.",
    ),
    "mlp-invariant-params": (
        "The weight now depends only on the offset (a, b) = (k - i, l - j)"
        " between an input and an output pixel.",
        "Along one axis of 32 pixels, offsets can be negative as well as "
        "positive: count the distinct values of k - i. Square, and add the"
        " one shared bias.",
    ),
    "mlp-local-params": (
        "How many integers a satisfy |a| <= Δ?",
        "Square that count for the two axes and add the bias. The image "
        "size no longer appears anywhere.",
    ),
    "mlp-weight-entry": (
        "W[i, j, k, l] = V[k - i, l - j]: find the offset of the input "
        "pixel (3, 2) from the output pixel (2, 3).",
        "Then read K at [a + 1, b + 1]; K is printed in the cell.",
    ),
    "mlp-dense-matrix": (
        "Loop over output pixels (i, j) and offsets (a, b) in {-1, 0, "
        "1}^2; the input pixel is (i + a, j + b).",
        "Skip input pixels outside the image: padding contributes zeros, "
        "nothing wraps around.",
        "Set M[i*w + j, (i+a)*w + (j+b)] = K[a + 1, b + 1], and return M.",
    ),
    # Chapter 5: edge detection
    "edge-step-response": (
        "Each output compares a pixel with its right-hand neighbour: Y[i, "
        "j] = X[i, j] - X[i, j+1] (no flip in cross-correlation).",
        "A row of 5 pixels gives 4 outputs; there are 3 rows.",
    ),
    "edge-horizontal-kernel": (
        "The output at (i, j) is a * X[i, j] + b * X[i+1, j]: the kernel "
        "compares a pixel with the one below it.",
        "Write the two conditions: equal pixels give 0, and white above "
        "black gives +1. Solve for a and b.",
    ),
    "edge-sobel-ramp": (
        "The image is the same in every row, so each row of the kernel "
        "contributes in the same way; the middle column has weight 0.",
        "The left and right columns are two columns apart, so the ramp "
        "differs by 2 * 3 across them; multiply by the sum of the right "
        "column's weights.",
    ),
    "edge-gradient": (
        "G_x is the sum of the elementwise product of P with SOBEL_X (no "
        "flip); G_y likewise with SOBEL_Y.",
        "Use np.hypot(G_x, G_y) for the magnitude and "
        "np.degrees(np.arctan2(G_y, G_x)): y comes first.",
    ),
    "edge-sobel-factors": (
        "Every row of SOBEL_Y is a multiple of the same row: that row is "
        "v.",
        "u lists the multipliers from top to bottom, signs included; u is "
        "the column factor, so check np.outer(u, v) and not np.outer(v, "
        "u).",
    ),
    # Chapter 6: learning a kernel
    "learn-window-matrix": (
        "One row per output pixel, in row-major order (the order of "
        "Y.ravel()); one column per weight.",
        "The row of output (i, j) holds the two pixels the kernel "
        "multiplies there: X[i, j] and X[i, j+1].",
    ),
    "learn-gradient": (
        "Compute the residual r = A w - y first, with A from exercise 1.",
        "The gradient of the sum of squares is 2 A^T r (no division by the"
        " number of rows).",
    ),
    "learn-gd-step": (
        "The gradient of ||A w - y||^2 is 2 A.T @ (A @ w - y).",
        "Go downhill: return w - lr * gradient. Use the sum, not the mean.",
    ),
    "learn-critical-step": (
        "The loss is quadratic; its Hessian is 2 A^T A (no bias column "
        "here).",
        "Gradient descent on a quadratic diverges once the step exceeds 2 "
        "divided by the largest eigenvalue of the Hessian.",
        "Build A with kernel_fit.window_matrix on X4 and take the largest "
        "value of np.linalg.eigvalsh(2 * A.T @ A).",
    ),
    # Chapter 7: padding, stride and dilation
    "psd-output-size": (
        "First find the span of the dilated kernel: d (k - 1) + 1 pixels.",
        "Add the padding on both sides, subtract the span, divide by the "
        "stride rounding down, and add 1.",
    ),
    "psd-same-padding": (
        "With stride 1, the output size is n + 2p - d (k - 1).",
        "Set that equal to n and solve for p, once for each k.",
    ),
    "psd-dilated-kernel": (
        "Dilation d puts d - 1 zeros between neighbouring taps, in both "
        "directions.",
        "The four weights stay at the corners of the larger kernel, in "
        "their original order.",
    ),
    "psd-write-output-size": (
        "Compute the span of the dilated kernel, d * (k - 1) + 1, first.",
        "Pad both sides (2 * p), subtract the span, floor-divide by s with"
        " //, add 1, and return an int.",
    ),
    "psd-receptive-field": (
        "Start from one pixel. A layer with kernel k and dilation d "
        "(stride 1) widens the receptive field by d (k - 1).",
        "Add the three increases; the layers' spans add, they do not "
        "multiply.",
    ),
    # Chapter 8: channels
    "chan-multi-in-by-hand": (
        "Correlate each input channel with its own kernel slice (no flip):"
        " each output is a 1x2 window of X[c] dotted with K[c].",
        "Then add the two channel maps element by element.",
    ),
    "chan-param-count": (
        "Each output channel has one kernel slice per input channel.",
        "Weights: out_channels x in_channels x 5 x 5; then add one bias "
        "per output channel.",
    ),
    "chan-multiply-adds": (
        "Without padding the output shrinks: find its height and width "
        "first.",
        "Every output value (all 64 channels, every position) is a dot "
        "product of in_channels x 3 x 3 terms.",
    ),
    "chan-conv1x1": (
        "At each pixel, a 1x1 convolution is the matrix-vector product w @"
        " x[:, i, j].",
        "Do all pixels at once: reshape x to (C, H*W), multiply by w on "
        "the left and reshape to (O, H, W), or use np.einsum.",
    ),
    "chan-depthwise-params": (
        "With groups=32 each filter sees in_channels / groups input "
        "channels.",
        "Count the weights of the 32 filters, then one bias per output "
        "channel.",
    ),
    # Chapter 9: pooling
    "pool-by-hand": (
        "With PyTorch's defaults the stride equals the kernel size, so the"
        " 2x2 windows do not overlap.",
        "Take the maximum of each 2x2 block and keep the blocks in place.",
    ),
    "pool-avg-padding": (
        "Pad X with a ring of zeros (5x5), then take 2x2 windows with "
        "stride 2.",
        "count_include_pad=True divides every window's sum by 4, even "
        "where the window covers padding.",
    ),
    "pool-output-size": (
        "By default: floor((n - k) / s) + 1.",
        "ceil_mode rounds up instead, as long as the last window starts "
        "inside the input.",
    ),
    "pool-adaptive-windows": (
        "Output i averages the cells from floor(i n / m) up to ceil((i + "
        "1) n / m), the end excluded.",
        "The windows may overlap; they cover every cell.",
    ),
    "pool-write-maxpool": (
        "The output has shape (H // k, W // k); crop X to a multiple of k "
        "first.",
        "Reshape the crop to (H // k, k, W // k, k) and take the maximum "
        "over axes 1 and 3, or loop over the windows.",
    ),
    # Chapter 10: what a layer costs
    "cost-grouped-params": (
        "With groups, each filter sees only in_channels / groups input "
        "channels.",
        "Weights: out_channels x (in_channels / groups) x 3 x 3; then add "
        "the biases, one per output channel.",
    ),
    "cost-strided-macs": (
        "Find the output size first: floor((n + 2p - k) / s) + 1.",
        "Each output value (all output channels, every position) costs "
        "in_channels x 3 x 3 multiply-accumulates.",
    ),
    "cost-separable-factor": (
        "Count per output pixel. Standard: C_in x 25 x C_out. Depthwise: "
        "C_in x 25. Pointwise: C_in x C_out.",
        "Divide (depthwise + pointwise) by standard: C_in cancels and the "
        "ratio is 1 / C_out + 1 / k^2.",
    ),
    "cost-receptive-field": (
        "Use r_l = r_{l-1} + (k_l - 1) j_{l-1} and j_l = j_{l-1} s_l, from"
        " r_0 = j_0 = 1; the pooling counts like a convolution.",
        "Update the size with the jump *before* the layer, then multiply "
        "the jump by the layer's stride.",
    ),
    "cost-write-receptive-field": (
        "Keep two numbers, size and jump, both starting at 1.",
        "For each (k, s, d): size grows by d * (k - 1) * jump, then jump "
        "is multiplied by s; in that order. Return (size, jump).",
    ),
    # Chapter 11: computing convolution fast
    "fast-im2col-shape": (
        "One column per output position: with a 5x5 kernel, stride 1 and "
        "padding 2, what is the output size?",
        "One row per kernel entry, over all input channels: C x k x k.",
    ),
    "fast-write-im2col": (
        "H_out = H - k + 1 and W_out = W - k + 1; allocate (k * k, H_out *"
        " W_out).",
        "Column i * W_out + j is X[i:i+k, j:j+k].ravel() (row by row).",
    ),
    "fast-winograd-count": (
        "F(2x2, 3x3) makes one 2x2 output tile from a 4x4 elementwise "
        "product: 16 multiplications per tile and per (input channel, "
        "output channel) pair.",
        "27 is odd: the tiles per side must cover it, so round up.",
    ),
    "fast-fft-size": (
        "Along one axis, the full linear correlation has n + k - 1 "
        "samples.",
        "The transform must hold all of them, or the end wraps onto the "
        "start.",
    ),
    "fast-conv-matrix-shape": (
        "K maps the flattened input to the flattened output: one column "
        "per input value, one row per output value.",
        "Find the output size with stride 2 and padding 1, then count "
        "values over all channels (the padding is not part of x).",
    ),
    # Chapter 12: gradients and the transposed convolution
    "tconv-output-size": (
        "A transposed convolution inverts a convolution's shapes: (n - 1) "
        "s + k, then p rows are cropped on each side.",
        "output_padding adds rows on one side only.",
    ),
    "tconv-grad-w": (
        "dL/dW[i, j] = sum over (h, v) of G[h, v] X[h + i, v + j].",
        "That is the valid cross-correlation of X with G; it has W's "
        "shape.",
    ),
    "tconv-grad-x": (
        "X[a, b] receives G[h, v] W[i, j] from every (h, v, i, j) with h +"
        " i = a and v + j = b.",
        "Start from a 3x3 array of zeros and add, for each output (h, v), "
        "G[h, v] * W into X's block at (h, v): a transposed convolution.",
    ),
    "tconv-write-1d": (
        "The output has length (n - 1) * s + k; start from zeros.",
        "For each h, add y[h] * w to out[h*s : h*s + k], without flipping "
        "w.",
    ),
    "tconv-checkerboard": (
        "Inside the image, an output position receives as many kernel taps"
        " as there are inputs whose footprint covers it.",
        "That count is the same everywhere exactly when the stride divides"
        " the kernel size.",
    ),
    # Chapter 13: a zoo of convolutions
    "zoo-grouped-params": (
        "With groups=8 each filter sees in_channels / 8 input channels.",
        "Weights: out_channels x (in_channels / groups) x 3 x 3, plus one "
        "bias per output channel.",
    ),
    "zoo-kernel-rank": (
        "A kernel has rank 1 when every row is a multiple of one row.",
        "If not, count how many rows are needed to build all the others; "
        "np.linalg.matrix_rank confirms.",
    ),
    "zoo-gridding": (
        "One layer reads offsets -4, 0 and 4 along each axis; the stack "
        "reads sums of two such offsets.",
        "Count the distinct offsets per axis, square it for the pixels "
        "read, and subtract from the whole square.",
    ),
    "zoo-bilinear": (
        "The weights are (1-y)(1-x) top-left, (1-y) x top-right, y (1-x) "
        "bottom-left and y x bottom-right.",
        "y is the row and x the column: do not swap them.",
    ),
    "zoo-write-bilinear": (
        "Take y0 = floor(y), x0 = floor(x); the four neighbours are (y0 or"
        " y0 + 1, x0 or x0 + 1), weighted by the fractional parts.",
        "Read pixels through a helper that returns 0 outside the image: "
        "negative indices must not wrap around.",
    ),
    # Chapter 14: LeNet
    "lenet-c3-params": (
        "Count the X's in the table: each is one 5x5 kernel of 25 weights.",
        "Then add one bias per C3 map.",
    ),
    "lenet-c1-connections": (
        "Each unit is connected to its 25 inputs and to its bias.",
        "Multiply by the number of units: 6 maps of 28 x 28.",
    ),
    "lenet-shapes": (
        "A valid 5x5 convolution takes 4 from the side; a 2x2 pooling "
        "halves it.",
        "The number of channels is the layer's number of maps.",
    ),
    "lenet-total-params": (
        "Go layer by layer: weights plus biases of each convolution and "
        "each linear layer.",
        "Compared with the digit network, only C1 (three input channels) "
        "and the last layer (26 outputs) change.",
    ),
    "lenet-build-28": (
        "Track the side through the layers: a valid 5x5 convolution takes "
        "4 away, a 2x2 pooling halves it.",
        "The first linear layer's input is channels x height x width after"
        " the second pooling; use nn.Flatten() before it.",
    ),
    # Chapter 15: AlexNet and VGG
    "vgg-conv-params": (
        "Weights: in_channels x out_channels x 3 x 3.",
        "Add one bias per output channel.",
    ),
    "vgg-stack-vs-large": (
        "A k x k convolution from C to C channels without bias has C x C x"
        " k x k weights.",
        "Three 3x3 layers: three times that with k = 3; one 7x7 layer: "
        "once with k = 7.",
    ),
    "vgg-receptive-field": (
        "Apply the recurrence over the six layers in order, from r_0 = j_0"
        " = 1.",
        "A 3x3 convolution adds 2 j; the 2x2 pooling adds j and then "
        "doubles the jump.",
    ),
    "vgg-dropout": (
        "PyTorch uses inverted dropout: in training, the survivors are "
        "rescaled so that the expected value does not change.",
        "Divide the surviving activation by the keep probability 1 - p.",
    ),
    "vgg-write-block": (
        "Append nn.Conv2d(c, out_channels, 3, padding=1) and nn.ReLU() "
        "num_convs times; c is in_channels first, out_channels after.",
        "End with nn.MaxPool2d(2, stride=2) and return "
        "nn.Sequential(*layers).",
    ),
    # Chapter 16: NiN and GoogLeNet
    "inception-1x1-params": (
        "A 1x1 convolution has in_channels x out_channels weights.",
        "Add one bias per output channel.",
    ),
    "inception-gap-saving": (
        "Flattening feeds 1024 x 7 x 7 inputs to the linear layer; global "
        "average pooling feeds 1024.",
        "A linear layer has inputs x classes weights plus one bias per "
        "class; pooling has no parameters.",
    ),
    "inception-out-channels": (
        "The block concatenates its four branches along the channels.",
        "Reductions are internal to a branch: only each branch's last "
        "layer counts, the pool projection included.",
    ),
    "inception-bottleneck-macs": (
        "A convolution with same padding costs H x W x C_out x C_in x k x "
        "k MACs, here on 14 x 14 maps.",
        "The reduced path is the sum of two layers: the 1x1 from 480 to "
        "16, then the 5x5 from 16 to 48.",
    ),
    "inception-write-block": (
        "Keep the size with padding 0 for 1x1, 1 for 3x3 and 2 for 5x5; "
        "the 3x3 max pooling needs stride=1 and padding=1.",
        "Build each branch as an nn.Sequential attribute in __init__ (so "
        "its parameters are registered), with a ReLU after every "
        "convolution.",
        "In forward, torch.cat the four branch outputs along dim=1.",
    ),
    # Chapter 17: batch normalisation and ResNet
    "resnet-bn-by-hand": (
        "Training mode uses the batch's own mean and its biased variance "
        "(divide by N, not N - 1).",
        "Normalise, then multiply by gamma and add beta.",
    ),
    "resnet-running-stats": (
        "Each running value becomes (1 - momentum) x old + momentum x the "
        "batch's value.",
        "For running_var, PyTorch uses the unbiased variance of the batch "
        "(divide by N - 1).",
    ),
    "resnet-bottleneck-params": (
        "The three convolutions have no bias: BN follows each, and its "
        "shift takes the bias's place.",
        "Each BN learns 2 numbers per channel. With stride 1 and 256 "
        "channels in and out, the shortcut is the identity: nothing to "
        "learn.",
    ),
    "resnet-write-batchnorm": (
        "Statistics are per channel, over the batch and the pixels: axes "
        "(0, 2, 3), with keepdims=True.",
        "Use the biased variance (np.var's default), then (x - mean) / "
        "sqrt(var + eps) times gamma plus beta, with gamma and beta "
        "reshaped to (1, C, 1, 1).",
    ),
    # Chapter 18: DenseNet
    "dense-block-channels": (
        "Each layer of a dense block adds k channels to what it passes on.",
        "The transition multiplies the channel count by θ.",
    ),
    "dense-layer-params": (
        "The convolutions have no bias (BN follows them); each BN learns 2"
        " numbers per channel of its input.",
        "Add: BN on 128, 1x1 conv 128 -> 128, BN on 128, 3x3 conv 128 -> "
        "32.",
    ),
    "dense-widest-input": (
        "The last layer reads the block's input plus the outputs of the "
        "layers before it, not its own.",
        "Find how many channels enter block 3: follow DenseNet-121 from 64"
        " channels through blocks 1 and 2 and their transitions.",
    ),
    "dense-write-bookkeeping": (
        "A block maps c to c + L k; a transition maps c to floor(θ c).",
        "Append one (in, out) pair per block and per transition; there is "
        "no transition after the last block.",
    ),
    # Chapter 19: MobileNet
    "mobile-block-cost": (
        "Everything is computed at the 14 x 14 output. Depthwise: one 3x3 "
        "filter per input channel; pointwise: C_in x C_out per pixel.",
        "The standard convolution costs C_in x C_out x 9 per output pixel."
        " Answer in the order [separable, standard].",
    ),
    "mobile-width-macs": (
        "Pointwise layers lose channels at both ends: their cost scales "
        "with α^2.",
        "The other layers have only one channel count that shrinks (the "
        "stem's output, the depthwise channels, the classifier's input): "
        "their cost scales with α.",
    ),
    "mobile-resolution": (
        "A convolution's cost is proportional to its number of output "
        "pixels: scale by (192 / 224)^2.",
        "The classifier reads a globally pooled vector: its cost does not "
        "change with the resolution.",
    ),
    "mobile-v2-block": (
        "Three layers: the 1x1 expansion to t c_in channels at h x w "
        "(skipped when t = 1), the 3x3 depthwise at the output size, the "
        "1x1 projection to c_out at the output size.",
        "The output side is ceil(h / s): use -(-h // s) or math.ceil.",
    ),
    "mobile-residual": (
        "A block adds its input when its stride is 1 and its input and "
        "output channel counts are equal.",
        "Only the first block of a row can change the stride or the "
        "channels; number the blocks from 1.",
    ),
    # Chapter 20: comparing the architectures
    "compare-conv-macs": (
        "With padding 1 the output keeps the input's size.",
        "Each output value (64 channels, every position) costs 3 x 3 x 3 "
        "MACs.",
    ),
    "compare-fc-params": (
        "The layer's input has 512 x 7 x 7 values.",
        "Weights: inputs x outputs; then one bias per output.",
    ),
    "compare-layer-cost": (
        "Each of the c_out filters has (c_in / groups) x k x k weights and"
        " one bias.",
        "Each output value is one dot product of that length (without the "
        "bias); there are c_out x out_side^2 of them. Return [params, "
        "macs].",
    ),
    "compare-dot-length": (
        "A depthwise filter sees one channel only, over its whole window.",
        "A 1x1 filter sees one pixel, over all input channels.",
    ),
    "compare-two-se": (
        "Use p = 0.95 and n = 450 in the formula, as fractions.",
        "Double the standard error and convert to percentage points (times"
        " 100).",
    ),
    # Chapter 21: channel and spatial attention
    "ca-se-params": (
        "The hidden layer has C / r units.",
        "W_1 has (C/r) x C weights and C/r biases; W_2 has C x (C/r) "
        "weights and C biases.",
    ),
    "ca-cbam-params": (
        "Channel attention: one MLP with C / r hidden units and biases, "
        "shared by the average- and the max-pooled vector: count it once.",
        "Spatial attention: one 7x7 convolution from 2 maps (the mean and "
        "the maximum over channels) to 1, with a bias.",
    ),
    "ca-cbam-macs": (
        "The shared MLP is applied twice, once to each pooled vector, and "
        "count_macs counts both.",
        "The spatial convolution: 14 x 14 outputs, each from 2 input maps "
        "times 7 x 7.",
    ),
    "ca-write-se": (
        "Squeeze: z = x.mean(axis=(1, 2)). Excite: ReLU of W1 @ z + b1, "
        "then the sigmoid of W2 @ (that) + b2.",
        "Scale each channel: multiply x by s[:, None, None].",
    ),
    "ca-write-channel-gate": (
        "Pool each channel twice over its pixels: the mean and the max "
        "over axes (1, 2).",
        "Apply the same MLP to each pooled vector separately, add the two "
        "results, and apply the sigmoid once, at the end.",
    ),
    # Chapter 22: self-attention over pixels
    "pix-attention-weights": (
        "The logits are Q @ K.T / sqrt(d): one row per query.",
        "Subtract each row's maximum (keepdims=True) before np.exp so that"
        " large logits do not overflow, then divide by the row sums.",
    ),
    "pix-unshuffle": (
        "Without positional information, self-attention is permutation "
        "equivariant: each output follows its input pixel.",
        "So pixel i's output is at the position p where pixel i now is, "
        "i.e. perm[p] == i: invert the permutation.",
    ),
    "pix-nonlocal-params": (
        "A 1x1 convolution from a to b channels has a x b weights and b "
        "biases.",
        "Add three convolutions from C to C' and one from C' back to C.",
    ),
    "pix-crossover-side": (
        "Divide both costs by n: attention costs more once C (2d + C_v) + "
        "n (d + C_v) > 9 C^2.",
        "Solve for n, then find the smallest whole side s with s^2 above "
        "it.",
    ),
    "pix-attention-memory": (
        "Each head of each image forms one n x n matrix with n = 56 x 56.",
        "A float32 takes 4 bytes; multiply by the heads and by the images.",
    ),
    # Chapter 23: mixing local and global
    "mix-table-shape": (
        "The row offset r_i - r_j runs from -(H - 1) to H - 1.",
        "Count the possible offsets along each axis.",
    ),
    "mix-window-sizes": (
        "The window holds the pixel itself and those of its 3x3 neighbours"
        " that lie inside the image.",
        "For a pixel on the border, count the part of its 3x3 window that "
        "is still inside the image.",
    ),
    "mix-attention-macs": (
        "n = 16 x 16 pixels; each of the three projections costs n C d.",
        "The logits cost one dot product of length d per pair of pixels "
        "(n^2 pairs); the weighted sums n^2 C_v.",
    ),
    "mix-write-pre-norm": (
        "Logits: X @ X.T / sqrt(C) + B. The bias goes inside the softmax.",
        "Subtract each row's maximum before np.exp, normalise the rows, "
        "and return the weights @ X.",
    ),
    # Chapter 24: a hybrid network
    "hyb-token-count": (
        "Patches per side: image side divided by patch side.",
        "One head's attention matrix has one entry per pair of tokens.",
    ),
    "hyb-block-params": (
        "Layer norms: 2 D each. W_qkv: D x 3D (no bias). W_o: D x D + D.",
        "MLP: D x rD + rD, then rD x D + D. The number of heads does not "
        "change the count.",
    ),
    "hyb-attention-macs": (
        "n = 64 tokens. W_qkv costs n x D x 3D and W_o costs n x D x D.",
        "The heads split D: over all heads, the logits cost n^2 D and the "
        "weighted sums n^2 D.",
    ),
    "hyb-vit-params": (
        "Patch embedding: in_channels x p x p x dim weights and dim "
        "biases; there are (image_size // patch_size)^2 tokens.",
        "Add the positional embedding (tokens x dim), depth blocks counted"
        " as in exercise 2, a final layer norm (2 dim) and the classifier "
        "(dim x num_classes + num_classes).",
    ),
    "hyb-invariant-shifts": (
        "With circular padding a convolutional network is exactly "
        "equivariant to shifts that are multiples of its total stride; "
        "global pooling then makes the logits invariant.",
        "With no positional embedding a ViT sees a set of patches: a shift"
        " that maps the patch grid onto itself only reorders them.",
    ),
    "act-gelu-at-1": (
        "GELU weights z by the probability that a standard normal "
        "variable is below z.",
        "At z = 1 that weight is Phi(1), and GELU(1) = 1 * Phi(1).",
        "Phi(z) = (1 + erf(z / sqrt(2))) / 2; math.erf computes erf.",
    ),
    "act-elu-slope": (
        "At z = -2 ELU is on its negative side, alpha (e^z - 1).",
        "Differentiate alpha (e^z - 1) with respect to z, then put "
        "alpha = 1 and z = -2.",
    ),
    "act-write-silu-grad": (
        "SiLU is a product of two functions of z: z and sigma(z).",
        "The product rule gives sigma(z) + z sigma'(z).",
        "The sigmoid's own derivative is sigma(z) (1 - sigma(z)).",
    ),
    "act-count-dead": (
        "A unit is a column of Z4; it is dead when no example makes it "
        "positive.",
        "Take the largest value of each column and count the columns "
        "whose largest value is not above zero (zero counts as dead).",
    ),
    "nas-mixed-output": (
        "First turn alpha into weights: exponentiate each alpha, then "
        "divide by the sum of the exponentials.",
        "The mixed output is a weighted sum of the three rows of OUTPUTS1,"
        " pixel by pixel: weights @ OUTPUTS1.",
    ),
    "nas-expected-latency": (
        "Each row of ALPHA2 is one edge; its softmax gives the "
        "probability of each operation on that edge.",
        "An edge's expected latency is softmax(row) . LATENCY2; the cell "
        "runs all its edges, so add the edges' values.",
    ),
    "nas-derive-genotype": (
        "Work row by row: each row of ALPHA3 is one edge, each column one "
        "operation of OPS.",
        "Ignore the first column (zero) and take the column of the "
        "largest remaining alpha; report its index in OPS.",
    ),
    "nas-count-architectures": (
        "Count the edges first: node i receives an edge from every "
        "earlier node, the input node included.",
        "Every edge chooses independently among the operations other "
        "than zero: multiply the numbers of choices.",
    ),
    "tcpu-f16-limits": (
        "float16 has e = 5 exponent bits, so its bias is b = 2^(e-1) - 1.",
        "The smallest normal number is 1.000...0 times 2 to the smallest "
        "normal exponent, 1 - b.",
        "A subnormal is 0.f times the same power of 2; the smallest has "
        "only the last of the m = 10 fraction bits set.",
    ),
    "tcpu-underflow-share": (
        "Multiply G2 by S2 first: the loss scale multiplies every "
        "gradient.",
        "A float16 cast rounds to the nearest representable number, so "
        "only magnitudes below half the smallest subnormal become 0.",
        "torch.tensor(S2 * G2).to(torch.float16) == 0 marks the lost "
        "entries; take their mean.",
    ),
    "tcpu-soften": (
        "Divide every logit by the temperature before the softmax.",
        "softmax(u)_k = exp(u_k) / sum_j exp(u_j); the four results add "
        "up to 1.",
    ),
    "tcpu-kd-loss": (
        "Compute p = softmax(V4 / T) and q = softmax(Z4 / T) first.",
        "KL(p || q) = sum_k p_k log(p_k / q_k), weighted by alpha T^2.",
        "Add (1 - alpha) times the ordinary cross-entropy "
        "-log softmax(Z4)[Y4], at T = 1.",
    ),
    "dw-wrn-block-params": (
        "List the block's layers in order: BN, 3x3 convolution, BN, 3x3 "
        "convolution, and the shortcut.",
        "A 3x3 convolution from a to c channels without bias has 9 a c "
        "weights; a BN has 2 parameters per channel.",
        "The block changes the shape, so its shortcut is a 1x1 "
        "convolution (a c weights).",
    ),
    "dw-grouped-bottleneck": (
        "The inner width is D = C w; the two 1x1 convolutions are not "
        "grouped.",
        "In the grouped 3x3 convolution each of the D filters reads only "
        "the w channels of its own path.",
        "Add the three batch normalisations: 2 parameters per channel of "
        "each convolution's output.",
    ),
    "dw-wrn-depth": (
        "The blocks are shared equally among three groups: that gives n.",
        "Count the layers with weights on the main path: two per block, "
        "the stem and the classifier, plus the two strided projections.",
    ),
    "dw-matching-width": (
        "Most parameters sit in 3x3 convolutions of c^2 weights: they "
        "grow with the square of the width and linearly with the number "
        "of blocks.",
        "Fewer blocks per group by a factor r need about sqrt(r) times the"
        " width; then check the two integers around your estimate.",
        "Count each candidate exactly: build it inside "
        "torch.device('meta') and call count_params.",
    ),
    "fast-winograd-f43": (
        "Follow the chapter's construction of F(2, 3) with six points "
        "instead of four: five finite points and infinity.",
        "G: one row per point with p^0, p^1, p^2 divided by D_j; BT: the "
        "coefficients of the product of (x - p_i) over the other points "
        "(sign from D_j), and all points for the last row.",
        "Check the three shapes, (4, 6), (6, 3) and (6, 6), then compare "
        "AT @ ((G @ g) * (BT @ d)) with np.correlate(d, g, 'valid') on a "
        "random tile before calling check.",
    ),
}
