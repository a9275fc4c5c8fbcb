import CZlib
import Foundation

/// Streams text documents from files, directories, `.gz` files and standard input.
///
/// By default each line is a document and keeps its line ending, as Hugging Face's
/// `train(files)` reads them; whole-file documents are an option. Memory is bounded by
/// the longest document, never by the corpus. Invalid UTF-8 is reported with its file,
/// line and byte offset, and the line is skipped or repaired as ``InvalidUTF8Policy`` says.
public struct CorpusReader: Sendable {
    /// What to do with a document that is not valid UTF-8.
    public enum InvalidUTF8Policy: String, Sendable, CaseIterable {
        /// Drop the document (the default).
        case skip
        /// Replace each invalid sequence with U+FFFD.
        case replace
    }

    /// What one document is.
    public enum DocumentMode: String, Sendable, CaseIterable {
        /// One line, with its line ending.
        case line
        /// One whole file.
        case file
    }

    /// Where a document came from.
    public struct Location: Sendable, CustomStringConvertible {
        /// The file path, or "-" for standard input.
        public let file: String
        /// The 1-based line number of the document's first line.
        public let line: Int
        /// The byte offset of the document in the (decompressed) file.
        public let byteOffset: Int

        public var description: String { "\(file):\(line) (byte \(byteOffset))" }
    }

    /// A document that was not valid UTF-8.
    public struct InvalidUTF8: Sendable, CustomStringConvertible {
        /// Where the document starts.
        public let location: Location
        /// The byte offset of the first invalid sequence in the file.
        public let invalidByteOffset: Int
        /// What was done with the document.
        public let action: InvalidUTF8Policy

        public var description: String {
            "\(location.file):\(location.line): invalid UTF-8 at byte \(invalidByteOffset) (\(action == .skip ? "line skipped" : "bytes replaced"))"
        }
    }

    /// The counts of one reading pass.
    public struct Summary: Sendable {
        /// Documents delivered.
        public var documents = 0
        /// Bytes read (after decompression).
        public var bytes = 0
        /// Every invalid document met, in order.
        public var invalid: [InvalidUTF8] = []
    }

    /// A file or directory that cannot be read.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    /// The input paths; "-" is standard input, directories are read recursively in name order.
    public let paths: [String]
    /// What to do with invalid UTF-8.
    public let policy: InvalidUTF8Policy
    /// What one document is.
    public let mode: DocumentMode

    public init(paths: [String], policy: InvalidUTF8Policy = .skip, mode: DocumentMode = .line) {
        self.paths = paths
        self.policy = policy
        self.mode = mode
    }

    /// The files the paths name, directories expanded recursively in name order.
    public func files() throws -> [String] {
        var result: [String] = []
        for path in paths {
            if path == "-" { result.append(path); continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReadError(path: path, message: "no such file or directory")
            }
            if isDirectory.boolValue {
                guard let enumerator = FileManager.default.enumerator(atPath: path) else {
                    throw ReadError(path: path, message: "cannot list directory")
                }
                var found: [String] = []
                for case let relative as String in enumerator {
                    let full = (path as NSString).appendingPathComponent(relative)
                    var nestedIsDirectory: ObjCBool = false
                    if FileManager.default.fileExists(atPath: full, isDirectory: &nestedIsDirectory), !nestedIsDirectory.boolValue,
                       !(relative as NSString).lastPathComponent.hasPrefix(".") {
                        found.append(full)
                    }
                }
                result.append(contentsOf: found.sorted())
            } else {
                result.append(path)
            }
        }
        return result
    }

    /// Calls `body` with every document in order, with its location.
    @discardableResult
    public func forEachDocument(_ body: (String, Location) throws -> Void) throws -> Summary {
        var summary = Summary()
        for file in try files() {
            try read(file: file, summary: &summary, body)
        }
        return summary
    }

    private func read(file: String, summary: inout Summary, _ body: (String, Location) throws -> Void) throws {
        let source = try ByteSource(path: file)
        var pending: [UInt8] = []
        var fileOffset = 0       // offset of pending[0] in the file
        var lineNumber = 1       // line number of pending[0]
        var chunk = [UInt8](repeating: 0, count: 1 << 20)

        func deliver(_ range: Range<Int>) throws {
            let bytes = pending[range]
            let location = Location(file: file, line: lineNumber, byteOffset: fileOffset + range.lowerBound)
            let invalidAt = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) }
            if let invalidAt {
                summary.invalid.append(InvalidUTF8(location: location, invalidByteOffset: location.byteOffset + invalidAt, action: policy))
                if policy == .skip { return }
            }
            summary.documents += 1
            try body(String(decoding: bytes, as: UTF8.self), location)
        }

        while true {
            let count = try chunk.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            if count == 0 { break }
            summary.bytes += count
            pending.append(contentsOf: chunk[..<count])
            guard mode == .line else { continue }
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try deliver(start..<(newline + 1))
                lineNumber += 1
                start = newline + 1
            }
            pending.removeSubrange(0..<start)
            fileOffset += start
        }
        if !pending.isEmpty { try deliver(0..<pending.count) }
    }
}

/// Reads raw or gzip-compressed bytes from a file or standard input.
final class ByteSource {
    private let handle: UnsafeMutablePointer<FILE>
    private let ownsHandle: Bool
    private let path: String
    private var inflater: OpaquePointer?
    private var compressed = [UInt8](repeating: 0, count: 1 << 16)
    private var compressedStart = 0
    private var compressedEnd = 0
    private var atEndOfInput = false
    private var inMember = false

    init(path: String) throws {
        self.path = path
        if path == "-" {
            guard let input = fdopen(STDIN_FILENO, "rb") else {
                throw CorpusReader.ReadError(path: path, message: "cannot read standard input")
            }
            handle = input
            ownsHandle = false
        } else {
            guard let opened = fopen(path, "rb") else {
                throw CorpusReader.ReadError(path: path, message: String(cString: strerror(errno)))
            }
            handle = opened
            ownsHandle = true
        }
        if path.hasSuffix(".gz") {
            inflater = pt_inflater_open()
        }
    }

    deinit {
        if ownsHandle { fclose(handle) }
        if let inflater { pt_inflater_close(inflater) }
    }

    /// Fills `buffer` with the next bytes; returns 0 at the end.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        guard let inflater else {
            let n = fread(buffer.baseAddress, 1, buffer.count, handle)
            if n == 0 && ferror(handle) != 0 { throw CorpusReader.ReadError(path: path, message: "read error") }
            return n
        }
        while true {
            if compressedStart == compressedEnd && !atEndOfInput {
                compressedEnd = compressed.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, handle) }
                compressedStart = 0
                if compressedEnd == 0 { atEndOfInput = true }
            }
            if compressedStart == compressedEnd && atEndOfInput {
                if inMember { throw CorpusReader.ReadError(path: path, message: "truncated gzip data") }
                return 0
            }
            var consumed = 0
            var produced = 0
            let status = compressed.withUnsafeBufferPointer { input in
                pt_inflate(inflater, input.baseAddress! + compressedStart, compressedEnd - compressedStart, &consumed,
                           buffer.baseAddress, buffer.count, &produced)
            }
            compressedStart += consumed
            if status < 0 { throw CorpusReader.ReadError(path: path, message: "corrupt gzip data") }
            inMember = status == 0
            if produced > 0 { return produced }
        }
    }
}
