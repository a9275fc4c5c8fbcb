import Datasets
import Foundation
import Support
import Tokenization

/// What a `pt_dataset` points to: a token dataset being written, batch by batch, with the
/// encoder that fills it; uncommitted, it is abandoned when released.
final class DatasetHandle {
    let encoder: DatasetEncoder
    let writer: any TokenDatasetWriter
    private var committed = false
    private var failed = false

    init(encoder: DatasetEncoder, writer: any TokenDatasetWriter) {
        self.encoder = encoder
        self.writer = writer
    }

    /// Encodes `texts` and appends them; after an error, the dataset can only be released.
    func add(_ texts: [String]) throws {
        try usable()
        do { try encoder.append(texts, to: writer) } catch {
            failed = true
            throw error
        }
    }

    /// Completes the dataset; returns its summary as a JSON object.
    func commit() throws -> String {
        try usable()
        failed = true
        try writer.commit()
        committed = true
        let written = encoder.written
        let shards = (writer as? ShardedDatasetWriter)?.shardPrefixes
        var members = [
            JSONMember("documents", .number(Double(written.documents))),
            JSONMember("tokens", .number(Double(written.tokens))),
            JSONMember("text_bytes", .number(Double(written.textBytes))),
            JSONMember("paths", .array(writer.paths.map { .string($0) })),
        ]
        if let shards { members.append(JSONMember("shards", .array(shards.map { .string($0) }))) }
        return JSONWriter.compact(.object(members))
    }

    private func usable() throws {
        guard !committed else { throw BoundaryError(description: "the dataset is already committed") }
        guard !failed else { throw BoundaryError(description: "an earlier call on the dataset failed: release it") }
    }

    deinit {
        if !committed { writer.abandon() }
    }

    /// The handle behind a `pt_dataset` pointer.
    static func from(_ pointer: OpaquePointer?) throws -> DatasetHandle {
        guard let pointer else { throw BoundaryError(description: "the dataset is NULL") }
        return Unmanaged<DatasetHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

/// Starts a token dataset at a prefix. See polytoken.h.
@_cdecl("pt_dataset_new")
public func pt_dataset_new(_ tokenizer: OpaquePointer?, _ prefix: UnsafePointer<CChar>?, _ format: UnsafePointer<CChar>?,
                           _ endOfDocument: Int64, _ shardSize: Int64, _ flags: UInt32, _ threads: UInt32,
                           _ out: UnsafeMutablePointer<OpaquePointer?>?,
                           _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        let handle = try TokenizerHandle.from(tokenizer)
        guard let prefix, let format, let out else { throw BoundaryError(description: "the prefix, the format or the result is NULL") }
        let name = String(cString: format)
        guard let kind = TokenDatasetFormat(rawValue: name) else {
            throw BoundaryError(description: "unknown dataset format '\(name)' (expected \(TokenDatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let size = handle.tokenizer.vocabularySize
        guard endOfDocument < Int64(size) else { throw BoundaryError(description: "the end-of-document id \(endOfDocument) is not below the \(size) ids of the tokenizer") }
        guard shardSize >= 0 else { throw BoundaryError(description: "the shard size is negative") }
        var options = DatasetEncoder.Options()
        options.addSpecialTokens = flags & 1 != 0
        options.endOfDocument = endOfDocument >= 0 ? TokenID(endOfDocument) : nil
        let path = String(cString: prefix), replacing = flags & 4 != 0
        let writer = try kind.writer(prefix: path, vocabularySize: size, replacing: replacing, shardSize: shardSize > 0 ? Int(shardSize) : nil)
        let encoder = DatasetEncoder(tokenizer: handle.tokenizer, options: options, threads: threads > 0 ? Int(threads) : nil)
        out.pointee = OpaquePointer(Unmanaged.passRetained(DatasetHandle(encoder: encoder, writer: writer)).toOpaque())
        return 0
    } catch {
        return fail(error, message)
    }
}

/// Encodes a batch of texts and appends them as documents. See polytoken.h.
@_cdecl("pt_dataset_add")
public func pt_dataset_add(_ pointer: OpaquePointer?, _ data: UnsafePointer<CChar>?, _ offsets: UnsafePointer<Int64>?,
                           _ count: Int, _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        try DatasetHandle.from(pointer).add(try texts(data, offsets, count))
        return 0
    } catch {
        return fail(error, message)
    }
}

/// Completes the dataset and moves its files into place; sets its summary. See polytoken.h.
@_cdecl("pt_dataset_commit")
public func pt_dataset_commit(_ pointer: OpaquePointer?, _ summary: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                              _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        let result = try DatasetHandle.from(pointer).commit()
        summary?.pointee = cString(result)
        return 0
    } catch {
        return fail(error, message)
    }
}

/// Releases a dataset, removing what it wrote unless it was committed. See polytoken.h.
@_cdecl("pt_dataset_free")
public func pt_dataset_free(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<DatasetHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
}
