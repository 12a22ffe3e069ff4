"""convlab: the small library behind the course *Convolution, from integrals to attention*.

Modules
-------
ops          convolution, cross-correlation and pooling in NumPy (1-D, 2-D, NCHW), torch semantics
arith        output sizes of convolution and pooling layers
continuous   continuous-time signals, their closed-form convolutions, the numerical integral
fourier      circular convolution, convolution through the FFT, frequency responses
separable    rank of 2-D kernels and their factorisation into two 1-D kernels
dense        a convolution written as a (tied) fully connected layer; parameter counts
filters      named edge kernels, image gradients, the sample photographs matplotlib ships
kernel_fit   learning a kernel by gradient descent: the quadratic loss and its largest stable step
channels     multi-channel cross-correlation and the 1x1 convolution
explorer     which input cells one output reads, and its figure
explorers    explorers that run in the page (JavaScript + data from convlab)
pooling      max, average and adaptive pooling (also exported by ``ops``)
plotting     figures the lessons share
volumetric   3-D convolution (NCDHW), as torch's conv3d
activations  activation functions (ReLU to GELU), their derivatives, dead ReLU units
diagrams     diagrams of layers and blocks, drawn from the modules they show
exercises    answer checkers, answer forms and quizzes for the exercise notebooks
"""

__version__ = "0.1.0"
