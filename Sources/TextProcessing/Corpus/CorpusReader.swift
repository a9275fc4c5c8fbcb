import CZlib
import Foundation
import Support

/// Streams text documents from files, directories, `.gz` files and standard input.
///
/// By default each line is a document and keeps its line ending, as Hugging Face's
/// `train(files)` reads them; whole-file documents are an option. Memory is bounded by
/// the longest document, never by the corpus. Invalid UTF-8 is reported with its file,
/// line and byte offset, and the line is skipped or repaired as ``InvalidUTF8Policy`` says.
/// Directories are read recursively; their hidden entries, symbolic links to directories or to
/// nothing, and entries that are not regular files (FIFOs, sockets, devices) are skipped and
/// reported (``Summary/skipped``), never opened. A path given directly is read whatever it is,
/// so a FIFO is read as a stream. A file that changes while it is read is an error.
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
        /// Entries of the directories given that were not read.
        public var skipped: [SkippedEntry] = []
    }

    /// An entry of a corpus directory that is not read, and why.
    public struct SkippedEntry: Sendable, CustomStringConvertible {
        /// The entry's path.
        public let path: String
        /// Why it is not read.
        public let reason: String

        public var description: String { "\(path): skipped (\(reason))" }
    }

    /// The files a reader reads, and the directory entries it skips.
    public struct Listing: Sendable {
        /// The files, in reading order.
        public var files: [String] = []
        /// The entries skipped.
        public var skipped: [SkippedEntry] = []
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
    public func files() throws -> [String] { try listing().files }

    /// The files the paths name, directories expanded recursively in name order, and the
    /// directory entries skipped.
    public func listing() throws -> Listing {
        var listing = Listing()
        for path in paths {
            if path == "-" { listing.files.append(path); continue }
            guard let status = FileStatus(path: path) else {
                throw ReadError(path: path, message: FileStatus(linkAt: path) == nil ? "no such file or directory" : "a symbolic link to nothing")
            }
            if status.kind == .directory {
                var found: [String] = []
                try Self.collect(directory: path, into: &found, skipped: &listing.skipped)
                listing.files.append(contentsOf: found.sorted())
            } else {
                listing.files.append(path)
            }
        }
        return listing
    }

    private static func collect(directory: String, into found: inout [String], skipped: inout [SkippedEntry]) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ReadError(path: directory, message: "cannot list the directory: \((error as NSError).localizedDescription)")
        }
        for name in names.sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let entry = FileStatus(linkAt: path) else { continue }
            if name.hasPrefix(".") {
                skipped.append(SkippedEntry(path: path, reason: "hidden"))
                continue
            }
            switch entry.kind {
            case .regular: found.append(path)
            case .directory: try collect(directory: path, into: &found, skipped: &skipped)
            case .symbolicLink:
                switch FileStatus(path: path)?.kind {
                case .regular?: found.append(path)
                case nil: skipped.append(SkippedEntry(path: path, reason: "a symbolic link to nothing"))
                case .directory?: skipped.append(SkippedEntry(path: path, reason: "a symbolic link to a directory, not followed"))
                default: skipped.append(SkippedEntry(path: path, reason: "a symbolic link to something other than a regular file"))
                }
            case .fifo: skipped.append(SkippedEntry(path: path, reason: "a FIFO; give it directly to read it as a stream"))
            default: skipped.append(SkippedEntry(path: path, reason: "not a regular file"))
            }
        }
    }

    /// Calls `body` with the documents in order, in batches of about `bytes` UTF-8 bytes (the
    /// last one smaller, never empty), without their line endings when `strippingLineEndings`.
    @discardableResult
    public func forEachBatch(bytes: Int = 8 << 20, strippingLineEndings: Bool = false, _ body: ([String]) throws -> Void) throws -> Summary {
        var batch: [String] = [], batchBytes = 0
        let summary = try forEachDocument(strippingLineEndings: strippingLineEndings) { text, _ in
            batch.append(text)
            batchBytes += text.utf8.count
            if batchBytes >= bytes {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
            }
        }
        if !batch.isEmpty { try body(batch) }
        return summary
    }

    /// Calls `body` with every document in order, with its location.
    @discardableResult
    public func forEachDocument(_ body: (String, Location) throws -> Void) throws -> Summary {
        try forEachDocument(strippingLineEndings: false, body)
    }

    private func forEachDocument(strippingLineEndings: Bool, _ body: (String, Location) throws -> Void) throws -> Summary {
        var summary = Summary()
        let listing = try listing()
        summary.skipped = listing.skipped
        for file in listing.files {
            try read(file: file, strippingLineEndings: strippingLineEndings, summary: &summary, body)
        }
        return summary
    }

    private func read(file: String, strippingLineEndings: Bool, summary: inout Summary,
                      _ body: (String, Location) throws -> Void) throws {
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
            var end = range.upperBound
            if strippingLineEndings {
                if end > range.lowerBound && pending[end - 1] == 0x0A { end -= 1 }
                if end > range.lowerBound && pending[end - 1] == 0x0D { end -= 1 }
            }
            try body(String(decoding: pending[range.lowerBound..<end], as: UTF8.self), location)
        }

        while true {
            let count = try chunk.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            if count == 0 { break }
            summary.bytes += count
            pending.append(contentsOf: chunk[..<count])
            guard mode == .line else { continue }
            var start = 0
            while let newline = Self.newline(in: pending, from: start) {
                try deliver(start..<(newline + 1))
                lineNumber += 1
                start = newline + 1
            }
            pending.removeSubrange(0..<start)
            fileOffset += start
        }
        if !pending.isEmpty { try deliver(0..<pending.count) }
        try source.checkUnchanged()
    }
}

extension CorpusReader {
    /// The index of the first newline of `bytes` at or after `start`.
    fileprivate static func newline(in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard start < buffer.count, let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start) else { return nil }
            return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
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
    /// The file's status when opened, when it is a regular file.
    private let openedStatus: FileStatus?

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
        openedStatus = FileStatus(descriptor: fileno(handle)).flatMap { $0.kind == .regular ? $0 : nil }
    }

    /// Throws when the file changed since it was opened (it was being written: what was read may be a prefix).
    func checkUnchanged() throws {
        guard let openedStatus, let now = FileStatus(descriptor: fileno(handle)) else { return }
        guard now.size == openedStatus.size, now.modified == openedStatus.modified else {
            throw CorpusReader.ReadError(path: path, message: "changed while it was read (\(openedStatus.size) bytes when opened, \(now.size) at the end); read it again once it is complete")
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
