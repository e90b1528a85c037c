#!/usr/bin/env bash
# results/gpu: one call on the accelerator machine (see README.md here). Run from the repository
# root there, with .gpu carried (built by results/gpu/pack.sh):  bash .gpu/run-on-device.sh
# Unpacks the classpath and Fashion-MNIST, records the device, then runs steps.sh under the kit's
# on-device.sh (packed Java runtime, DJL's JNI built against the machine's PyTorch).
set -u
O="${OUT:?}"; G=.gpu
exec > >(tee -a "$O/run.log") 2>&1
t0=$(date +%s)
echo "== device"
{ nvidia-smi
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
  python3 -c 'import sys, torch; print("python", sys.version.split()[0]); print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version(), torch.cuda.get_device_name(0))'
} > "$O/device.txt" 2>&1
cat "$O/device.txt"
echo "== unpack"
tar -C "$G" -xJf "$G/lib.tar.xz" || exit 1
python3 - <<'PY' || exit 1
import glob, lzma, os
os.makedirs('/tmp/fmnist', exist_ok=True)
for f in glob.glob('.gpu/fmnist/*.xz'):
    with lzma.open(f) as src, open('/tmp/fmnist/' + os.path.basename(f)[:-3], 'wb') as dst:
        dst.write(src.read())
print(sorted(os.listdir('/tmp/fmnist')))
PY
echo "unpacked after $(( $(date +%s) - t0 )) s"
timeout 520 bash "$G/on-device.sh" bash "$G/steps.sh"
echo "== all done after $(( $(date +%s) - t0 )) s"
