"""convlab: the small library behind the course *Convolution, from integrals to attention*.

Modules, one line each, roughly in the order the course needs them:

validation       argument checks shared by every function (clear TypeError / ValueError); check_conv_args
tensor_checks    the same for torch tensor arguments (attention operators, models, data, training)
arith            output sizes of convolution and pooling layers, the receptive field formula
ops              convolution and cross-correlation in NumPy: 1-D and 2-D (SciPy's modes), NCHW conv2d as torch's
pooling          max (dilated too), average and adaptive max/average pooling, torch semantics
continuous       continuous-time signals, their closed-form convolutions, the numerical integral
fourier          circular convolution, convolution through the FFT, frequency responses
separable        rank of 2-D kernels and their factorisation into two 1-D kernels
dense            a convolution written as a (tied) fully connected layer; parameter counts
filters          named edge kernels, image gradients, the sample photographs matplotlib ships
kernel_fit       learning a kernel by gradient descent: the quadratic loss and its largest stable step
channels         multi-channel cross-correlation and the 1x1 convolution
conv_algorithms  the layer lowered to matrix products (im2col, kn2col), the FFT, the convolution matrix
winograd         minimal filtering F(m, r) from interpolation points; F(2x2, 3x3) as batched products
conv_costs       what those algorithms cost: multiplications, memory, measured time (``make bench``)
fast_conv        one namespace for chapter 11 (re-exports conv_algorithms, winograd, conv_costs)
timing           the wall time of a function, measured fairly: warm-up, repeats, minimum, threads
transposed       the backward pass, the transposed convolution, pixel shuffle
deformable       deformable convolution (v1 and v2's modulation) with bilinear sampling
volumetric       3-D convolution (NCDHW), as torch's conv3d
zoo              the variants of chapter 13 written as ordinary convolutions
cost             parameters, multiply-adds and activations of torch modules; the measured receptive field
batchnorm        batch normalisation in NumPy, to compare with torch's
activations      activation functions (ReLU to GELU), their derivatives, dead ReLU units
precision        float16/bfloat16 formats, gradient underflow, a dynamic loss scaler, saved-tensor bytes
resizing         progressive resizing: schedules of image sizes, their multiply-adds, training through them
distillation     knowledge distillation: softened softmax, the Hinton loss, training a student
nas              differentiable architecture search (DARTS): mixed operation, cell, bilevel search, genotype, cost
attention        convolution and attention in one notation: the operators of Part V and their blocks
models           the classic architectures built exactly (one module per family; ``models/__init__``)
data             offline datasets (scikit-learn's digits, generated shapes) and augmentations
train            a plain, deterministic training loop and its history
compare_models   several models side by side: costs and, trained alike, accuracy
determinism      the CPU kernels pinned so printed numbers are the same on every machine
plotting         the book's figure style, panels for the column, grids with honest colours
diagrams         diagrams of layers and blocks, drawn from the modules they show
explorer         which input cells one output reads, and its static figure
explorers        explorers that run in the page (JavaScript + data from convlab)
exercises        checkers, answer specs, hints, in-page answer boxes and quizzes for the exercises
"""

__version__ = "0.1.0"
