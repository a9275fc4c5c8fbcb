import Foundation
import Tokenization

/// What a `pt_encoding` points to: the encodings of a batch in flat buffers the caller reads
/// in place (ids, where each text starts, and with details tokens, offsets and masks).
final class EncodingHandle {
    let count: Int
    let ids: UnsafeMutableBufferPointer<UInt32>
    let textOffsets: UnsafeMutableBufferPointer<Int64>
    var offsets: UnsafeMutableBufferPointer<Int64>?
    var typeIDs: UnsafeMutableBufferPointer<UInt32>?
    var specialTokensMask: UnsafeMutableBufferPointer<UInt8>?
    var attentionMask: UnsafeMutableBufferPointer<UInt8>?
    var tokenBytes: UnsafeMutableBufferPointer<UInt8>?
    var tokenOffsets: UnsafeMutableBufferPointer<Int64>?

    /// The ids alone.
    init(_ flat: FlatIDs) {
        count = flat.count
        ids = Self.copy(flat.ids)
        textOffsets = Self.copy(flat.offsets.map { Int64($0) })
    }

    /// Everything the encodings hold.
    init(_ encodings: [Encoding]) {
        count = encodings.count
        let total = encodings.reduce(0) { $0 + $1.count }
        var flatIDs: [UInt32] = [], starts: [Int64] = [0], offsets: [Int64] = [], types: [UInt32] = []
        var special: [UInt8] = [], attention: [UInt8] = [], bytes: [UInt8] = [], tokenStarts: [Int64] = [0]
        flatIDs.reserveCapacity(total)
        offsets.reserveCapacity(2 * total)
        for encoding in encodings {
            flatIDs += encoding.ids
            starts.append(Int64(flatIDs.count))
            for range in encoding.offsets { offsets += [Int64(range.lowerBound), Int64(range.upperBound)] }
            types += encoding.typeIDs
            special += encoding.specialTokensMask
            attention += encoding.attentionMask
            for token in encoding.tokens {
                bytes += token.utf8
                tokenStarts.append(Int64(bytes.count))
            }
        }
        ids = Self.copy(flatIDs)
        textOffsets = Self.copy(starts)
        self.offsets = Self.copy(offsets)
        typeIDs = Self.copy(types)
        specialTokensMask = Self.copy(special)
        attentionMask = Self.copy(attention)
        tokenBytes = Self.copy(bytes)
        tokenOffsets = Self.copy(tokenStarts)
    }

    deinit {
        ids.deallocate()
        textOffsets.deallocate()
        offsets?.deallocate()
        typeIDs?.deallocate()
        specialTokensMask?.deallocate()
        attentionMask?.deallocate()
        tokenBytes?.deallocate()
        tokenOffsets?.deallocate()
    }

    /// A buffer holding `values`, never empty (so its address is never NULL).
    private static func copy<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, values.count))
        _ = buffer.initialize(from: values)
        return buffer
    }

    /// The handle behind a `pt_encoding` pointer.
    static func from(_ pointer: OpaquePointer?) -> EncodingHandle? {
        pointer.map { Unmanaged<EncodingHandle>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue() }
    }
}

/// Encodes a batch of texts on every core (or the threads given) into a `pt_encoding`. See polytoken.h.
@_cdecl("pt_encode_batch")
public func pt_encode_batch(_ pointer: OpaquePointer?, _ data: UnsafePointer<CChar>?, _ offsets: UnsafePointer<Int64>?,
                            _ count: Int, _ flags: UInt32, _ threads: UInt32, _ out: UnsafeMutablePointer<OpaquePointer?>?,
                            _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        let handle = try TokenizerHandle.from(pointer)
        guard let out else { throw BoundaryError(description: "the result is NULL") }
        let batch = try texts(data, offsets, count)
        let addSpecialTokens = flags & 1 != 0
        let result = try handle.withWorkers(threads: Int(threads)) { workers in
            flags & 2 != 0
                ? EncodingHandle(try handle.tokenizer.encodeBatch(batch, addSpecialTokens: addSpecialTokens, workers: workers))
                : EncodingHandle(try handle.tokenizer.encodeBatchFlat(batch, addSpecialTokens: addSpecialTokens, workers: workers))
        }
        out.pointee = OpaquePointer(Unmanaged.passRetained(result).toOpaque())
        return 0
    } catch {
        return fail(error, message)
    }
}

/// Releases an encoding. See polytoken.h.
@_cdecl("pt_encoding_free")
public func pt_encoding_free(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<EncodingHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

/// The number of texts encoded. See polytoken.h.
@_cdecl("pt_encoding_count")
public func pt_encoding_count(_ pointer: OpaquePointer?) -> Int { EncodingHandle.from(pointer)?.count ?? 0 }

/// The number of tokens over all texts. See polytoken.h.
@_cdecl("pt_encoding_token_count")
public func pt_encoding_token_count(_ pointer: OpaquePointer?) -> Int {
    EncodingHandle.from(pointer).map { Int($0.textOffsets[$0.count]) } ?? 0
}

/// The ids of all texts, one after the other. See polytoken.h.
@_cdecl("pt_encoding_ids")
public func pt_encoding_ids(_ pointer: OpaquePointer?) -> UnsafePointer<UInt32>? {
    EncodingHandle.from(pointer).map { UnsafePointer($0.ids.baseAddress!) }
}

/// Where each text's ids start (one more than the texts). See polytoken.h.
@_cdecl("pt_encoding_text_offsets")
public func pt_encoding_text_offsets(_ pointer: OpaquePointer?) -> UnsafePointer<Int64>? {
    EncodingHandle.from(pointer).map { UnsafePointer($0.textOffsets.baseAddress!) }
}

/// Per token, its character start and end (with details, else NULL). See polytoken.h.
@_cdecl("pt_encoding_offsets")
public func pt_encoding_offsets(_ pointer: OpaquePointer?) -> UnsafePointer<Int64>? {
    EncodingHandle.from(pointer)?.offsets.map { UnsafePointer($0.baseAddress!) }
}

/// Per token, its type id (with details, else NULL). See polytoken.h.
@_cdecl("pt_encoding_type_ids")
public func pt_encoding_type_ids(_ pointer: OpaquePointer?) -> UnsafePointer<UInt32>? {
    EncodingHandle.from(pointer)?.typeIDs.map { UnsafePointer($0.baseAddress!) }
}

/// Per token, 1 for a special token (with details, else NULL). See polytoken.h.
@_cdecl("pt_encoding_special_tokens_mask")
public func pt_encoding_special_tokens_mask(_ pointer: OpaquePointer?) -> UnsafePointer<UInt8>? {
    EncodingHandle.from(pointer)?.specialTokensMask.map { UnsafePointer($0.baseAddress!) }
}

/// Per token, its attention mask (with details, else NULL). See polytoken.h.
@_cdecl("pt_encoding_attention_mask")
public func pt_encoding_attention_mask(_ pointer: OpaquePointer?) -> UnsafePointer<UInt8>? {
    EncodingHandle.from(pointer)?.attentionMask.map { UnsafePointer($0.baseAddress!) }
}

/// The tokens' UTF-8 text, concatenated (with details, else NULL). See polytoken.h.
@_cdecl("pt_encoding_token_bytes")
public func pt_encoding_token_bytes(_ pointer: OpaquePointer?) -> UnsafePointer<UInt8>? {
    EncodingHandle.from(pointer)?.tokenBytes.map { UnsafePointer($0.baseAddress!) }
}

/// Where each token's text starts in the token bytes (with details, else NULL). See polytoken.h.
@_cdecl("pt_encoding_token_offsets")
public func pt_encoding_token_offsets(_ pointer: OpaquePointer?) -> UnsafePointer<Int64>? {
    EncodingHandle.from(pointer)?.tokenOffsets.map { UnsafePointer($0.baseAddress!) }
}
