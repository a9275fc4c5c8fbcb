import Foundation
import Support

/// Concatenates Megatron or npy datasets into one, as Megatron-LM's `merge_datasets.py` does:
/// documents in input order, ids copied by the kernel, indices shifted. Every input is checked
/// first (see ``MegatronIndex/validate(chunk:)``); their id types must agree.
public enum TokenDatasetMerger {
    /// What a merge wrote.
    public struct Summary: Sendable {
        /// Documents in the merged dataset.
        public var documents = 0
        /// Tokens in the merged dataset.
        public var tokens = 0
        /// The files written, the index last.
        public var paths: [String] = []
    }

    /// Merges the datasets at `inputs` (prefixes) into one at `output`.
    public static func merge(_ format: TokenDatasetFormat, inputs: [String], output: String, replacing: Bool) throws -> Summary {
        guard !inputs.isEmpty else { throw DatasetError(output, "no datasets to merge") }
        let outputs = format.paths(prefix: output).map { FileStatus.resolvedPath($0) }
        for input in inputs {
            for path in format.paths(prefix: input) where outputs.contains(FileStatus.resolvedPath(path)) {
                throw DatasetError(path, "is both an input and the output")
            }
        }
        switch format {
        case .megatron: return try mergeMegatron(inputs, output: output, replacing: replacing)
        case .npy: return try mergeNpy(inputs, output: output, replacing: replacing)
        case .jsonl:
            throw DatasetError(output, "jsonl datasets are text: concatenate them with cat; merging is for megatron and npy")
        }
    }

    private static let chunk = 1 << 20

    private static func mergeMegatron(_ inputs: [String], output: String, replacing: Bool) throws -> Summary {
        let indexes = try inputs.map { try MegatronIndex(prefix: $0) }
        var tokens: [Int] = []
        for index in indexes {
            guard index.dtype == indexes[0].dtype else {
                throw DatasetError(index.path, "has \(index.dtype.rawValue) ids, \(indexes[0].path) has \(indexes[0].dtype.rawValue)")
            }
            tokens.append(try index.validate())
        }
        let paths = MegatronDatasetWriter.paths(prefix: output)
        let data = try DatasetFile(output: paths[0], replacing: replacing)
        let index = try DatasetFile(output: paths[1], replacing: replacing)
        let sequences = indexes.reduce(0) { $0 + $1.sequenceCount }, documents = indexes.reduce(0) { $0 + $1.documentCount }
        var header = MegatronDatasetWriter.magic
        MegatronDatasetWriter.appendLittleEndian(UInt64(1), to: &header)
        header.append(indexes[0].dtype.megatronCode!)
        MegatronDatasetWriter.appendLittleEndian(UInt64(sequences), to: &header)
        MegatronDatasetWriter.appendLittleEndian(UInt64(documents + 1), to: &header)
        try index.append(header)
        for input in indexes {
            try data.append(contentsOf: input.dataPath, offset: 0, length: try dataSize(input))
            try index.append(contentsOf: input.path, offset: input.lengthsOffset, length: 4 * input.sequenceCount)
        }
        var byteBase: Int64 = 0
        for (input, count) in zip(indexes, tokens) {
            try shifted(Int64.self, from: input.path, count: input.sequenceCount, at: input.pointersOffset, by: byteBase, into: index)
            byteBase += Int64(count * input.dtype.size)
        }
        try index.append(Int64(0))
        var sequenceBase: Int64 = 0
        for input in indexes {
            try shifted(Int64.self, from: input.path, count: input.documentCount, at: input.documentIndicesOffset + 8, by: sequenceBase, into: index)
            sequenceBase += Int64(input.sequenceCount)
        }
        try DatasetFile.publish([data, index])
        return Summary(documents: documents, tokens: tokens.reduce(0, +), paths: paths)
    }

    private static func dataSize(_ index: MegatronIndex) throws -> Int {
        guard let size = FileStatus(path: index.dataPath)?.size else { throw DatasetError(index.dataPath, "no such file") }
        return size
    }

    /// Appends the `count` little-endian values at byte `offset` of `path`, each plus `base`.
    private static func shifted<T: FixedWidthInteger>(_: T.Type, from path: String, count: Int, at offset: Int, by base: T,
                                                      into file: DatasetFile) throws {
        let size = MemoryLayout<T>.size
        var start = 0
        while start < count {
            let part = min(chunk, count - start)
            let raw = try MegatronIndex.readBytes(path, count: size * part, at: offset + size * start)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(size * part)
            raw.withUnsafeBytes { source in
                for position in 0..<part {
                    MegatronDatasetWriter.appendLittleEndian(T(littleEndian: source.loadUnaligned(fromByteOffset: size * position, as: T.self)) + base, to: &bytes)
                }
            }
            try file.append(bytes)
            start += part
        }
    }

    private static func mergeNpy(_ inputs: [String], output: String, replacing: Bool) throws -> Summary {
        let headers = try inputs.map { input -> (tokens: NpyArrayHeader, offsets: NpyArrayHeader) in
            let paths = NpyDatasetWriter.paths(prefix: input)
            let tokens = try NpyArrayHeader(path: paths[0]), offsets = try NpyArrayHeader(path: paths[1])
            guard TokenDType(numpyDescription: tokens.description) != nil else { throw DatasetError(tokens.path, "has \(tokens.description) elements, not token ids (<u2, <u4, <i4)") }
            guard offsets.description == "<i8", offsets.count >= 1 else { throw DatasetError(offsets.path, "is not an int64 offsets array with a leading 0") }
            let ends = try MegatronIndex.readBytes(offsets.path, count: 8, at: offsets.dataOffset)
                + MegatronIndex.readBytes(offsets.path, count: 8, at: offsets.dataOffset + 8 * (offsets.count - 1))
            let first = ends.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: Int64.self)) }
            let last = ends.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: Int64.self)) }
            guard first == 0, last == Int64(tokens.count) else {
                throw DatasetError(offsets.path, "runs from \(first) to \(last), not from 0 to the \(tokens.count) tokens of \(tokens.path)")
            }
            return (tokens, offsets)
        }
        let dtype = TokenDType(numpyDescription: headers[0].tokens.description)!
        for header in headers where header.tokens.description != headers[0].tokens.description {
            throw DatasetError(header.tokens.path, "has \(header.tokens.description) ids, \(headers[0].tokens.path) has \(headers[0].tokens.description)")
        }
        let paths = NpyDatasetWriter.paths(prefix: output)
        let tokens = try DatasetFile(output: paths[0], replacing: replacing)
        let offsets = try DatasetFile(output: paths[1], replacing: replacing)
        let tokenCount = headers.reduce(0) { $0 + $1.tokens.count }, documents = headers.reduce(0) { $0 + $1.offsets.count - 1 }
        try tokens.append(NpyDatasetWriter.header(description: dtype.numpyDescription, count: tokenCount))
        try offsets.append(NpyDatasetWriter.header(description: "<i8", count: documents + 1))
        try offsets.append(Int64(0))
        var base: Int64 = 0
        for header in headers {
            try tokens.append(contentsOf: header.tokens.path, offset: header.tokens.dataOffset, length: header.tokens.count * dtype.size)
            try shifted(Int64.self, from: header.offsets.path, count: header.offsets.count - 1, at: header.offsets.dataOffset + 8, by: base, into: offsets)
            base += Int64(header.tokens.count)
        }
        try DatasetFile.publish([tokens, offsets])
        return Summary(documents: documents, tokens: tokenCount, paths: paths)
    }
}
