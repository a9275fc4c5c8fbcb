import Foundation
import Support
import Tokenization

/// What a `pt_tokenizer` points to: a tokenizer and the workers of its batch calls, kept so
/// their piece caches stay warm from one batch to the next.
final class TokenizerHandle: @unchecked Sendable {
    let tokenizer: Tokenizer
    private let lock = NSLock()
    private var workers: ParallelWorkers<Tokenizer.State>?

    init(_ tokenizer: Tokenizer) { self.tokenizer = tokenizer }

    /// Runs `body` with workers of `threads` threads (0: every core): the kept ones when no other
    /// call is using them, else new ones.
    func withWorkers<T>(threads: Int, _ body: (ParallelWorkers<Tokenizer.State>) throws -> T) rethrows -> T {
        let count = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        guard lock.try() else { return try body(ParallelWorkers(threads: count) { Tokenizer.State() }) }
        defer { lock.unlock() }
        if workers?.threads != count { workers = ParallelWorkers(threads: count) { Tokenizer.State() } }
        return try body(workers!)
    }

    /// The handle behind a `pt_tokenizer` pointer.
    static func from(_ pointer: OpaquePointer?) throws -> TokenizerHandle {
        guard let pointer else { throw BoundaryError(description: "the tokenizer is NULL") }
        return Unmanaged<TokenizerHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// A new `pt_tokenizer` pointer owning the handle.
    func retained() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }
}

/// Loads a tokenizer file of any format Polytoken reads. See polytoken.h.
@_cdecl("pt_tokenizer_from_file")
public func pt_tokenizer_from_file(_ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
                                   _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        guard let path, let out else { throw BoundaryError(description: "the path or the result is NULL") }
        out.pointee = TokenizerHandle(try Tokenizer(contentsOf: String(cString: path))).retained()
        return 0
    } catch {
        return fail(error, message)
    }
}

/// Loads a tokenizer from the text of a tokenizer.json. See polytoken.h.
@_cdecl("pt_tokenizer_from_str")
public func pt_tokenizer_from_str(_ json: UnsafePointer<CChar>?, _ length: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?,
                                  _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        guard let json, let out else { throw BoundaryError(description: "the JSON or the result is NULL") }
        let data = Data(bytes: json, count: length)
        out.pointee = TokenizerHandle(try Tokenizer(json: JSONValue.parse(data, source: "tokenizer.json"))).retained()
        return 0
    } catch {
        return fail(error, message)
    }
}

/// Releases a tokenizer. See polytoken.h.
@_cdecl("pt_tokenizer_free")
public func pt_tokenizer_free(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<TokenizerHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

/// The tokenizer.json text of a tokenizer. See polytoken.h.
@_cdecl("pt_tokenizer_to_str")
public func pt_tokenizer_to_str(_ pointer: OpaquePointer?, _ pretty: Int32, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                                _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        let json = try TokenizerHandle.from(pointer).tokenizer.json
        out?.pointee = cString(pretty != 0 ? JSONWriter.pretty(json) : JSONWriter.compact(json))
        return 0
    } catch {
        return fail(error, message)
    }
}

/// The number of distinct tokens, with or without the added ones. See polytoken.h.
@_cdecl("pt_tokenizer_vocab_size")
public func pt_tokenizer_vocab_size(_ pointer: OpaquePointer?, _ withAddedTokens: Int32) -> Int {
    guard let tokenizer = try? TokenizerHandle.from(pointer).tokenizer else { return 0 }
    let vocabulary = tokenizer.model.vocabulary
    guard withAddedTokens != 0 else { return vocabulary.count }
    return vocabulary.count + tokenizer.addedVocabulary.tokens.values.count { vocabulary.id(for: $0.content) == nil }
}

/// The id of a token (added tokens first): 1 when found, else 0. See polytoken.h.
@_cdecl("pt_tokenizer_token_to_id")
public func pt_tokenizer_token_to_id(_ pointer: OpaquePointer?, _ token: UnsafePointer<CChar>?, _ length: Int,
                                     _ id: UnsafeMutablePointer<UInt32>?) -> Int32 {
    guard let tokenizer = try? TokenizerHandle.from(pointer).tokenizer, let token else { return 0 }
    let text = token.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
    guard let found = tokenizer.id(for: text) else { return 0 }
    id?.pointee = found
    return 1
}

/// The token of an id: 1 when found, else 0. See polytoken.h.
@_cdecl("pt_tokenizer_id_to_token")
public func pt_tokenizer_id_to_token(_ pointer: OpaquePointer?, _ id: UInt32, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    guard let tokenizer = try? TokenizerHandle.from(pointer).tokenizer, let token = tokenizer.token(for: id) else { return 0 }
    out?.pointee = cString(token)
    return 1
}

/// The text of ids through the tokenizer's decoder. See polytoken.h.
@_cdecl("pt_decode")
public func pt_decode(_ pointer: OpaquePointer?, _ ids: UnsafePointer<UInt32>?, _ count: Int, _ skipSpecialTokens: Int32,
                      _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ length: UnsafeMutablePointer<Int>?,
                      _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        let tokenizer = try TokenizerHandle.from(pointer).tokenizer
        guard count == 0 || ids != nil else { throw BoundaryError(description: "the ids are NULL") }
        let list = count == 0 ? [] : Array(UnsafeBufferPointer(start: ids, count: count))
        out?.pointee = cString(tokenizer.decode(list, skipSpecialTokens: skipSpecialTokens != 0), length: length)
        return 0
    } catch {
        return fail(error, message)
    }
}
