import Foundation
import PolytokenCLI
import Support

/// A NUL-terminated copy of `string` (which may hold NULs itself) the caller releases with
/// `pt_string_free`; `length`, when given, receives its length in bytes.
func cString(_ string: String, length: UnsafeMutablePointer<Int>? = nil) -> UnsafeMutablePointer<CChar> {
    var string = string
    return string.withUTF8 { bytes in
        let copy = malloc(bytes.count + 1)!.assumingMemoryBound(to: CChar.self)
        if let source = bytes.baseAddress { UnsafeMutableRawPointer(copy).copyMemory(from: source, byteCount: bytes.count) }
        copy[bytes.count] = 0
        length?.pointee = bytes.count
        return copy
    }
}

/// Sets `*error` to the message of `error` and returns its status: a command line ``Polytoken/Failure``'s
/// own, 1 for any other error.
func fail(_ error: any Error, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let message: String, status: Int32
    if let failure = error as? Polytoken.Failure {
        (message, status) = (failure.message, failure.status == 0 ? 1 : failure.status)
    } else {
        (message, status) = (String(describing: error), 1)
    }
    out?.pointee = cString(message)
    return status
}

/// Why a call could not start: a NULL where a value is needed, or malformed arguments.
struct BoundaryError: Error, CustomStringConvertible {
    let description: String
}

/// The `count` texts packed in `data`, text `i` being bytes `offsets[i]..<offsets[i + 1]`
/// (invalid UTF-8 becomes U+FFFD).
func texts(_ data: UnsafePointer<CChar>?, _ offsets: UnsafePointer<Int64>?, _ count: Int) throws -> [String] {
    guard count >= 0 else { throw BoundaryError(description: "the count of texts is negative") }
    guard count == 0 || (data != nil && offsets != nil) else { throw BoundaryError(description: "the texts or their offsets are NULL") }
    guard count > 0, let data, let offsets else { return [] }
    let bytes = UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self)
    guard offsets[0] >= 0 else { throw BoundaryError(description: "offsets[0] is negative") }
    for index in 0..<count where offsets[index + 1] < offsets[index] {
        throw BoundaryError(description: "offsets[\(index + 1)] is smaller than offsets[\(index)]")
    }
    return (0..<count).map { index in
        String(decoding: UnsafeBufferPointer(start: bytes + Int(offsets[index]), count: Int(offsets[index + 1] - offsets[index])), as: UTF8.self)
    }
}

/// The arguments given as a JSON array of strings.
func arguments(_ json: UnsafePointer<CChar>?) throws -> [String] {
    guard let json else { throw BoundaryError(description: "the arguments are NULL") }
    guard case .array(let values) = try JSONValue.parse(Data(String(cString: json).utf8), source: "arguments") else {
        throw BoundaryError(description: "the arguments must be a JSON array of strings")
    }
    return try values.map {
        guard case .string(let value) = $0 else { throw BoundaryError(description: "the arguments must be a JSON array of strings") }
        return value
    }
}

/// The library's version, a static string. See polytoken.h.
@_cdecl("pt_version")
public func pt_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(Polytoken.version.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Releases a string the library returned. See polytoken.h.
@_cdecl("pt_string_free")
public func pt_string_free(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}

/// Runs a polytoken command, its arguments a JSON array; sets its summary (JSON) when it has one. See polytoken.h.
@_cdecl("pt_run")
public func pt_run(_ json: UnsafePointer<CChar>?, _ summary: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                   _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        let result = try Polytoken.run(arguments: try arguments(json))
        summary?.pointee = result.map { cString($0) }
        return 0
    } catch {
        return fail(error, message)
    }
}
