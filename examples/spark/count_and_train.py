#!/usr/bin/env python3
"""Train a tokenizer on a corpus counted by Spark: each partition counts its lines' words into a
Polytoken store, the driver trains on all the stores. The merges are those of `polytoken train`
on the whole corpus.

    spark-submit examples/spark/count_and_train.py --preset llama3 --vocab-size 8000 \\
        -o tokenizer.json CORPUS.txt [CORPUS2.txt ...]

Each partition returns its store's bytes to the driver, so executors need no shared storage.
"""
import argparse
import os
import tempfile

from pyspark.sql import SparkSession


def count_partition(preset):
    """A partition's lines counted into a store; yields (partition, store bytes)."""

    def count(index, lines):
        import polytoken

        with tempfile.TemporaryDirectory() as scratch:
            corpus, store = os.path.join(scratch, "lines.txt"), os.path.join(scratch, "counts.sqlite")
            with open(corpus, "w", encoding="utf-8", newline="\n") as out:
                for line in lines:
                    out.write(line + "\n")
            polytoken.count(corpus, store, preset=preset)
            with open(store, "rb") as data:
                yield index, data.read()

    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="+", help="text files, a document per line")
    parser.add_argument("-o", "--output", required=True, help="the tokenizer.json to write")
    parser.add_argument("--preset", default="llama3")
    parser.add_argument("--vocab-size", type=int, required=True)
    parser.add_argument("--partitions", type=int, default=None, help="at least this many partitions")
    parser.add_argument("--master", default=None, help="e.g. local[2]; default: spark-submit's")
    args = parser.parse_args()

    builder = SparkSession.builder.appName("polytoken-count-and-train")
    spark = (builder.master(args.master) if args.master else builder).getOrCreate()
    try:
        lines = spark.sparkContext.textFile(",".join(os.path.abspath(p) for p in args.corpus), minPartitions=args.partitions)
        stores = sorted(lines.mapPartitionsWithIndex(count_partition(args.preset)).collect())
    finally:
        spark.stop()

    import polytoken

    with tempfile.TemporaryDirectory() as scratch:
        paths = []
        for index, data in stores:
            paths.append(os.path.join(scratch, f"counts-{index:05d}.sqlite"))
            with open(paths[-1], "wb") as out:
                out.write(data)
        summary = polytoken.command("train", preset=args.preset, vocab_size=args.vocab_size, counts=paths, output=args.output)
    print(f"{len(stores)} partitions counted; {summary}")


if __name__ == "__main__":
    main()
