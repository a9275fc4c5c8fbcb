#!/usr/bin/env python3
"""Tokenize a corpus into one Megatron dataset with Spark: each partition writes a shard with
Polytoken, the driver merges the shards in partition order. The result is byte-identical to
`polytoken encode -o PREFIX --format megatron` on the same files in one process.

    spark-submit examples/spark/tokenize_to_megatron.py --tokenizer tokenizer.json --append-eod '<|end_of_text|>' \\
        --shards /shared/shards -o /shared/train CORPUS.txt [CORPUS2.txt ...]

Documents are lines (Spark's textFile: partitions follow the files in the order given and each
file in byte order, so merging the shards in partition order keeps the corpus order). The
tokenizer file is shipped to the executors with the job (SparkFiles); the shard directory must
be storage every executor and the driver can reach (a shared file system, or a mounted bucket).
"""
import argparse
import os

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def encode_partition(tokenizer_name, shards, append_eod):
    """A partition's lines written as a shard; yields (partition, shard prefix, documents)."""

    def encode(index, lines):
        import polytoken

        prefix = os.path.join(shards, f"part_{index:05d}")
        summary = polytoken.encode_dataset(SparkFiles.get(tokenizer_name), lines, prefix, "megatron",
                                           append_eod=append_eod, replace=True, threads=1)
        yield index, prefix, summary.documents

    return encode


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="+", help="text files, a document per line")
    parser.add_argument("-o", "--output", required=True, help="the prefix of the merged dataset")
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--shards", required=True, help="a directory every executor can write")
    parser.add_argument("--append-eod", default=None, help="the end-of-document token")
    parser.add_argument("--partitions", type=int, default=None, help="at least this many partitions")
    parser.add_argument("--master", default=None, help="e.g. local[2]; default: spark-submit's")
    args = parser.parse_args()

    builder = SparkSession.builder.appName("polytoken-tokenize")
    spark = (builder.master(args.master) if args.master else builder).getOrCreate()
    try:
        context = spark.sparkContext
        context.addFile(os.path.abspath(args.tokenizer))
        os.makedirs(args.shards, exist_ok=True)
        lines = context.textFile(",".join(os.path.abspath(p) for p in args.corpus), minPartitions=args.partitions)
        encode = encode_partition(os.path.basename(args.tokenizer), os.path.abspath(args.shards), args.append_eod)
        shards = sorted(lines.mapPartitionsWithIndex(encode).collect())
    finally:
        spark.stop()

    import polytoken

    summary = polytoken.merge_datasets([prefix for _, prefix, _ in shards], args.output, replace=True)
    print(f"{len(shards)} shards, {summary.documents} documents, {summary.tokens} tokens -> {', '.join(summary.paths)}")


if __name__ == "__main__":
    main()
