#!/usr/bin/env bash
# results/gpu: builds the .gpu/ folder that run-on-device.sh needs, in the root of the checkout
# the device tool sends (the session's checkout: pass it as $1). What travels is limited to 64 MiB
# in all (the checkout's tracked files, about 8.4 MB, included), so everything is xz-compressed:
#   jre.tar.xz   jlink runtime with java.desktop (charts) but no jdk.jshell, --compress=0 then xz: ~7 MB
#   lib.tar.xz   the runtime classpath less PyTorch native/JNI, junit, pdfbox/fontbox/VectorGraphics2D,
#                each jar rewritten uncompressed (zip -0) so xz sees the class files, and icu4j without
#                its 37 MB of locale data (tablesaw only uses its CharsetDetector, which needs none): ~13 MB
#   fmnist/      Fashion-MNIST's four IDX files, xz instead of gzip: ~26.4 MB
#   kjv.txt.xz   the output of `bible -f gen1:1-rev22:21` here (package bible-kjv): ~1 MB
# With jdk.jshell the runtime is ~24 MB instead and the total no longer fits beside the data.
# Usage, from the project root after ./mvnw -B -q -pl toolkit -am package -DskipTests:
#   bash results/gpu/pack.sh /path/to/session-checkout
set -euo pipefail
dest="${1:?usage: pack.sh CHECKOUT}/.gpu"; kit=/work/shared/gpu; tmp="$(mktemp -d)"
rm -rf "$dest" && mkdir -p "$dest/fmnist" "$tmp/lib"
./mvnw -q -o -pl toolkit dependency:build-classpath -Dmdep.outputFile="$tmp/cp.txt" >/dev/null
jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
jlink --module-path "$jdk/jmods" --strip-debug --no-header-files --no-man-pages \
  --add-modules java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.zipfs,java.desktop \
  --output "$tmp/jre"
tar -C "$tmp" -cf - jre | xz -9 > "$dest/jre.tar.xz"
IFS=':' read -ra entries <<< "$(cat "$tmp/cp.txt"):toolkit/target/classes"
for e in "${entries[@]}"; do
  n="$(basename "$e")"
  case "$n" in pytorch-native-*|pytorch-jni-*|junit-*|opentest4j-*|apiguardian-*|pdfbox-*|fontbox-*|graphics2d-*|VectorGraphics2D-*) continue ;; esac
  if [ -d "$e" ]; then cp -r "$e" "$tmp/lib/classes-40"; else
    mkdir "$tmp/x" && (cd "$tmp/x" && unzip -q "$e" && rm -rf com/ibm/icu/impl/data/icudt* && zip -q -0 -r -X "$tmp/lib/$n" .) && rm -rf "$tmp/x"; fi
done
tar -C "$tmp" -cf - lib | xz -9 > "$dest/lib.tar.xz"
(cd "$tmp" && ls -d lib/* | sed 's#^#.gpu/#' | paste -sd:) > "$dest/classpath"
for f in /usr/share/datasets/fashion-mnist/*.gz; do
  zcat "$f" | xz -9e > "$dest/fmnist/$(basename "$f" .gz).xz"; done
bible -f gen1:1-rev22:21 2> /dev/null < /dev/null | xz -9 > "$dest/kjv.txt.xz"
mkdir -p "$dest/djl-native" && cp -r "$kit/djl-native-0.35.1/." "$dest/djl-native/" && cp -r "$jdk/include" "$dest/djl-native/jni"
cp "$kit/on-device.sh" "$kit/nb2jsh.py" results/gpu/run-on-device.sh results/gpu/steps.sh "$dest/"
rm -rf "$tmp"; du -sh "$dest"
