"""convlab.determinism pins the CPU kernels for the notebook kernels that nbval and
tools/execute_notebooks.py start, so stored training runs reproduce on other machines."""

import os
import subprocess
import sys

import pytest

from convlab import determinism

X86 = determinism.cpu_has_avx2()


@pytest.mark.skipif(
    not X86, reason="the kernels are pinned on x86-64 CPUs with AVX2 only"
)
def test_pin_sets_the_variables_and_keeps_existing_ones():
    env = {"MKL_CBWR": "COMPATIBLE"}
    added = determinism.pin_cpu_kernels(env)
    assert added == {
        "ATEN_CPU_CAPABILITY": "avx2",
        "OPENBLAS_CORETYPE": "Haswell",
    }
    assert env == {
        "MKL_CBWR": "COMPATIBLE",
        "ATEN_CPU_CAPABILITY": "avx2",
        "OPENBLAS_CORETYPE": "Haswell",
    }
    assert determinism.pin_cpu_kernels(env) == {}


@pytest.mark.skipif(
    not X86, reason="the kernels are pinned on x86-64 CPUs with AVX2 only"
)
def test_the_test_suite_runs_pinned():
    # conftest.py pins them before any notebook kernel starts; kernels inherit os.environ.
    for key, value in determinism.PINNED_ENVIRONMENT.items():
        assert os.environ.get(key) == value


@pytest.mark.skipif(
    not X86, reason="the kernels are pinned on x86-64 CPUs with AVX2 only"
)
def test_a_command_started_through_the_module_sees_the_pin():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in determinism.PINNED_ENVIRONMENT
    }
    code = (
        "import os, torch; print(os.environ['ATEN_CPU_CAPABILITY'], os.environ['MKL_CBWR'], "
        "os.environ['OPENBLAS_CORETYPE'], torch.backends.cpu.get_cpu_capability())"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "convlab.determinism",
            sys.executable,
            "-c",
            code,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["avx2", "AVX2,STRICT", "Haswell", "AVX2"]


def test_no_pin_without_avx2(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(
        "processor\t: 0\nflags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx\n"
    )
    assert not determinism.cpu_has_avx2(str(cpuinfo))
    assert not determinism.cpu_has_avx2(str(tmp_path / "missing"))


def test_usage_message_without_a_command():
    with pytest.raises(
        SystemExit, match="usage: python -m convlab.determinism CMD"
    ):
        determinism.main([])
