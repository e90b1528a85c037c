#!/usr/bin/env python3
"""Writes CIFAR-10 and CIFAR-100 binaries of random pixels in the real on-disk format, for timing
training steps where the real data cannot be downloaded (results/cifar.sh's header quotes the
figures). Not data to learn from: labels are i % classes, pixels uniform noise.

Usage: python3 results/fake-cifar.py DIR [TRAIN_RECORDS] [TEST_RECORDS]
  writes DIR/cifar10/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin
     and DIR/cifar100/cifar-100-binary/{train,test}.bin
"""
import os
import random
import sys


def write(path, records, label_bytes):
    rng = random.Random(0)
    with open(path, "wb") as f:
        for i in range(records):
            labels = bytes([i % 20, i % 100]) if label_bytes == 2 else bytes([i % 10])
            f.write(labels + rng.randbytes(3072))


def main():
    root = sys.argv[1]
    train = int(sys.argv[2]) if len(sys.argv) > 2 else 6400
    test = int(sys.argv[3]) if len(sys.argv) > 3 else 256
    c10 = os.path.join(root, "cifar10", "cifar-10-batches-bin")
    c100 = os.path.join(root, "cifar100", "cifar-100-binary")
    os.makedirs(c10, exist_ok=True)
    os.makedirs(c100, exist_ok=True)
    for b in range(1, 6):
        write(os.path.join(c10, f"data_batch_{b}.bin"), train // 5, 1)
    write(os.path.join(c10, "test_batch.bin"), test, 1)
    write(os.path.join(c100, "train.bin"), train, 2)
    write(os.path.join(c100, "test.bin"), test, 2)
    print(f"{train} training and {test} test records each in {c10} and {c100}")


if __name__ == "__main__":
    main()
