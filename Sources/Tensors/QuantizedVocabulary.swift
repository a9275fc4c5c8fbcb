/// A static embedding model (model2vec, tokenlearn) whose vocabulary is quantized: the
/// `embeddings` tensor holds cluster rows `[clusters, dimension]` (I8 or floating point),
/// `mapping` `[vocabulary]` the cluster of each token, and `weights` `[vocabulary]` a scale per
/// token. Token `t`'s vector is `weights[t] · embeddings[mapping[t]]`; an I8 table's global
/// scale is not stored, so vectors are known up to one positive factor shared by all tokens.
public struct QuantizedVocabulary {
    /// The tensor names model2vec writes.
    public static let clusterName = "embeddings", mappingName = "mapping", weightName = "weights"

    /// The cluster rows.
    public let clusters: (file: SafetensorsFile, info: TensorInfo)
    /// The cluster of each token.
    public let mapping: (file: SafetensorsFile, info: TensorInfo)
    /// The scale of each token.
    public let weights: (file: SafetensorsFile, info: TensorInfo)

    /// Tokens covered (the length of `mapping`).
    public var tokenCount: Int { mapping.info.shape[0] }
    /// Rows of the cluster table.
    public var clusterCount: Int { clusters.info.shape[0] }
    /// Columns of the cluster table.
    public var dimension: Int { clusters.info.shape[1] }

    /// The quantized vocabulary of `checkpoint`, or nil when it has no `mapping` tensor.
    /// Throws when the three tensors are incomplete, of unusable dtypes or shapes, or when a
    /// token maps outside the cluster table.
    public init?(checkpoint: Checkpoint) throws {
        guard let mapping = checkpoint.tensor(Self.mappingName) else { return nil }
        let location = "\(mapping.file.path): \(Self.mappingName)"
        guard let clusters = checkpoint.tensor(Self.clusterName), let weights = checkpoint.tensor(Self.weightName) else {
            throw TensorError(location, "a quantized vocabulary needs the tensors \(Self.clusterName), \(Self.mappingName) and \(Self.weightName)")
        }
        guard mapping.info.dtype == .i64 || mapping.info.dtype == .i32, mapping.info.shape.count == 1 else {
            throw TensorError(location, "expected a one-dimensional I64 or I32 tensor, found \(mapping.info.dtype.rawValue) \(mapping.info.shape)")
        }
        guard clusters.info.shape.count == 2, clusters.info.shape[1] > 0, clusters.info.dtype == .i8 || clusters.info.dtype.isFloatingPoint else {
            throw TensorError("\(clusters.file.path): \(Self.clusterName)",
                              "expected a two-dimensional I8 or floating-point tensor, found \(clusters.info.dtype.rawValue) \(clusters.info.shape)")
        }
        guard weights.info.shape == mapping.info.shape, weights.info.dtype.isFloatingPoint else {
            throw TensorError("\(weights.file.path): \(Self.weightName)",
                              "expected a floating-point tensor of shape \(mapping.info.shape), found \(weights.info.dtype.rawValue) \(weights.info.shape)")
        }
        self.clusters = clusters
        self.mapping = mapping
        self.weights = weights
        for token in 0..<tokenCount where !(0..<clusterCount).contains(cluster(of: token)) {
            throw TensorError(location, "token \(token) maps to cluster \(cluster(of: token)), outside the \(clusterCount) rows of \(Self.clusterName)")
        }
    }

    /// The cluster row of `token`.
    public func cluster(of token: Int) -> Int {
        let bytes = mapping.file.bytes(of: mapping.info).baseAddress!
        if mapping.info.dtype == .i64 {
            return Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: token * 8, as: Int64.self)))
        }
        return Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: token * 4, as: Int32.self)))
    }

    /// The scale of `token`.
    public func weight(of token: Int) -> Double {
        Double(ElementConversion.read(weights.file.bytes(of: weights.info).baseAddress!, token, weights.info.dtype))
    }

    /// Cluster row `cluster`, as stored (I8 values unscaled).
    public func clusterRow(_ cluster: Int) -> [Double] {
        let bytes = clusters.file.bytes(of: clusters.info).baseAddress!
        let start = cluster * dimension
        if clusters.info.dtype == .i8 {
            return (0..<dimension).map { Double(Int8(bitPattern: bytes.load(fromByteOffset: start + $0, as: UInt8.self))) }
        }
        return (0..<dimension).map { Double(ElementConversion.read(bytes, start + $0, clusters.info.dtype)) }
    }

    /// The vector of `token`: its weight times its cluster row.
    public func vector(of token: Int) -> [Double] {
        let weight = weight(of: token)
        return clusterRow(cluster(of: token)).map { $0 * weight }
    }
}
