#!/usr/bin/env bash
# results/gpu: one call on the accelerator machine (see README.md here). Run from the repository
# root there, with .gpu carried (built by results/gpu/pack.sh):  bash .gpu/run-on-device.sh
# Records the device, unpacks the classpath, Fashion-MNIST and the KJV text (a `bible` command
# that prints the stored output of this machine's `bible -f gen1:1-rev22:21`, so the toolkit reads
# the very same text), starts CUDA MPS when the machine allows it (many small processes then share
# the GPU without time-slicing), then runs steps.sh under the kit's on-device.sh (packed Java
# runtime, DJL's JNI built against the machine's PyTorch).
set -u
O="${OUT:?}"; G=.gpu
exec > >(tee -a "$O/run.log") 2>&1
t0=$(date +%s)
echo "== device"
{ nvidia-smi
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
  python3 -c 'import sys, torch; print("python", sys.version.split()[0]); print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version(), torch.cuda.get_device_name(0))'
  echo "cpus $(nproc), memory $(free -g | awk '/Mem/ { print $2 }') GiB"
} > "$O/device.txt" 2>&1
cat "$O/device.txt"
echo "== unpack"
tar -C "$G" -xJf "$G/lib.tar.xz" || exit 1
mkdir -p /tmp/fmnist /tmp/bin
for f in "$G"/fmnist/*.xz; do xz -dc "$f" > "/tmp/fmnist/$(basename "$f" .xz)" || exit 1; done
xz -dc "$G/kjv.txt.xz" > /tmp/kjv.txt || exit 1
printf '#!/bin/sh\ncat /tmp/kjv.txt\n' > /tmp/bin/bible && chmod +x /tmp/bin/bible
export PATH=/tmp/bin:$PATH
ls -la /tmp/fmnist /tmp/kjv.txt
echo "unpacked after $(( $(date +%s) - t0 )) s"
echo "== MPS"
# (a daemon left by an earlier call on the same machine is kept: -d then only says it runs)
if command -v nvidia-cuda-mps-control > /dev/null && { nvidia-cuda-mps-control -d || true; } \
   && timeout 30 python3 -c 'import torch; print("cuda through MPS:", torch.ones(2, device="cuda").sum().item())'; then
  echo "MPS on"
else
  echo quit | nvidia-cuda-mps-control 2> /dev/null; echo "MPS off: the processes time-slice the GPU"
fi
timeout 530 bash "$G/on-device.sh" bash "$G/steps.sh"
echo "== all done after $(( $(date +%s) - t0 )) s"
