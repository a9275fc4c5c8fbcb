import Foundation
import Support

/// Streams text documents from files, directories, compressed files (`.gz`, `.zst`) and
/// standard input.
///
/// By default each line is a document and keeps its line ending, as Hugging Face's
/// `train(files)` reads them; whole-file documents are an option, and with a ``JSONField`` each
/// line is a JSON Lines record whose field is the document. Memory is bounded by
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
        /// Records skipped (``BadRecordPolicy/skip``) because they were not JSON or lacked the
        /// field: the first ``BadRecord/keptCount``.
        public var badRecords: [BadRecord] = []
        /// How many records were skipped.
        public var badRecordCount = 0
    }

    /// What to do with a JSON Lines record that is not JSON or lacks the field.
    public enum BadRecordPolicy: String, Sendable, CaseIterable {
        /// Stop with an error naming the file and line (the default).
        case fail
        /// Skip it, count it in ``Summary/badRecordCount``.
        case skip
    }

    /// A record that was skipped, and why.
    public struct BadRecord: Sendable, CustomStringConvertible {
        /// How many a summary keeps.
        public static let keptCount = 100
        /// Where the record is.
        public let location: Location
        /// Why it was skipped.
        public let message: String

        public var description: String { "\(location.file):\(location.line): \(message) (skipped)" }
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
    /// The field holding each document's text when documents are JSON records, else nil.
    public let field: JSONField?
    /// What to do with a record that is not JSON or lacks ``field``.
    public let badRecords: BadRecordPolicy

    public init(paths: [String], policy: InvalidUTF8Policy = .skip, mode: DocumentMode = .line, field: JSONField? = nil,
                badRecords: BadRecordPolicy = .fail) {
        self.paths = paths
        self.policy = policy
        self.mode = mode
        self.field = field
        self.badRecords = badRecords
    }

    /// The files the paths name, directories expanded recursively in name order.
    public func files() throws -> [String] { try listing().files }

    /// Whether documents are text lines, whose line endings are not part of the document.
    public var readsLines: Bool { field == nil && mode == .line }

    /// The bytes reading will take, when every input is an uncompressed regular file (else nil,
    /// for standard input, pipes and compressed files such as `.gz` and `.zst`).
    public func plainInputSize() throws -> Int? {
        var total = 0
        for file in try files() {
            guard file != "-", !streamDecoders.contains(where: { file.hasSuffix($0.suffix) }),
                  let status = FileStatus(path: file), status.kind == .regular else { return nil }
            total += status.size
        }
        return total
    }

    /// The files the paths name, directories expanded recursively in name order, a path that
    /// does not exist but holds `*`, `?` or `[` expanded as a glob pattern (matches in name
    /// order; none is an error), and the directory entries skipped.
    public func listing() throws -> Listing {
        var listing = Listing()
        for path in paths {
            if path == "-" { listing.files.append(path); continue }
            if FileStatus(linkAt: path) == nil, path.contains(where: { "*?[".contains($0) }) {
                let matches = try Self.glob(path)
                guard !matches.isEmpty else { throw ReadError(path: path, message: "the pattern matches no file") }
                for match in matches { try Self.add(match, to: &listing) }
            } else {
                try Self.add(path, to: &listing)
            }
        }
        return listing
    }

    private static func add(_ path: String, to listing: inout Listing) throws {
        guard let status = FileStatus(path: path) else {
            throw ReadError(path: path, message: FileStatus(linkAt: path) == nil ? "no such file or directory" : "a symbolic link to nothing")
        }
        if status.kind == .directory {
            var found: [String] = []
            try collect(directory: path, into: &found, skipped: &listing.skipped)
            listing.files.append(contentsOf: found.sorted())
        } else {
            listing.files.append(path)
        }
    }

    /// The paths matching the glob `pattern`, sorted.
    private static func glob(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let status = Glibc.glob(pattern, 0, nil, &result)
        guard status == 0 || status == GLOB_NOMATCH else { throw ReadError(path: pattern, message: "cannot expand the pattern (glob error \(status))") }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
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
        try forEachCountedBatch(bytes: bytes, strippingLineEndings: strippingLineEndings) { try body($0.texts) }
    }

    /// Documents in order, and how far reading had come when they were read.
    public struct Batch: Sendable {
        /// The documents.
        public var texts: [String]
        /// The bytes read (after decompression) when the batch was complete, from the first file on.
        public var bytesRead: Int
    }

    /// Like ``forEachBatch(bytes:strippingLineEndings:_:)``, with the bytes read so far.
    @discardableResult
    public func forEachCountedBatch(bytes: Int = 8 << 20, strippingLineEndings: Bool = false, _ body: (Batch) throws -> Void) throws -> Summary {
        var batch: [String] = [], batchBytes = 0
        let summary = try forEachDocument(strippingLineEndings: strippingLineEndings) { text, _, read in
            batch.append(text)
            batchBytes += text.utf8.count
            if batchBytes >= bytes {
                try body(Batch(texts: batch, bytesRead: read))
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
            }
        }
        if !batch.isEmpty { try body(Batch(texts: batch, bytesRead: summary.bytes)) }
        return summary
    }

    /// Calls `body` with every document in order, with its location.
    @discardableResult
    public func forEachDocument(_ body: (String, Location) throws -> Void) throws -> Summary {
        try forEachDocument(strippingLineEndings: false) { text, location, _ in try body(text, location) }
    }

    /// Calls `body` with every document, its location and the bytes read so far.
    private func forEachDocument(strippingLineEndings: Bool, _ body: (String, Location, Int) throws -> Void) throws -> Summary {
        var summary = Summary()
        let listing = try listing()
        summary.skipped = listing.skipped
        for file in listing.files {
            try read(file: file, strippingLineEndings: strippingLineEndings, summary: &summary, body)
        }
        return summary
    }

    private func read(file: String, strippingLineEndings: Bool, summary: inout Summary,
                      _ body: (String, Location, Int) throws -> Void) throws {
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
            if let field {
                let repaired = invalidAt.map { _ in Array(String(decoding: bytes, as: UTF8.self).utf8) }
                let parsed = Result {
                    try (repaired.map { $0[...] } ?? bytes).withUnsafeBufferPointer {
                        try JSONValue.parse($0, source: file, firstLine: lineNumber)
                    }
                }
                let text: Result<String, any Error> = parsed.flatMap { record in
                    field.text(in: record).mapError { ReadError(path: "\(file):\(location.line)", message: $0.message) as any Error }
                }
                switch text {
                case .success(let text):
                    summary.documents += 1
                    try body(text, location, summary.bytes)
                case .failure(let error):
                    let problem = error as? ConfigurationError
                    guard badRecords == .skip else {
                        throw problem.map { ReadError(path: $0.path, message: $0.message) } ?? error
                    }
                    summary.badRecordCount += 1
                    if summary.badRecords.count < BadRecord.keptCount {
                        summary.badRecords.append(BadRecord(location: location, message: problem?.message ?? (error as? ReadError)?.message ?? "\(error)"))
                    }
                }
                return
            }
            summary.documents += 1
            var end = range.upperBound
            if strippingLineEndings {
                if end > range.lowerBound && pending[end - 1] == 0x0A { end -= 1 }
                if end > range.lowerBound && pending[end - 1] == 0x0D { end -= 1 }
            }
            try body(String(decoding: pending[range.lowerBound..<end], as: UTF8.self), location, summary.bytes)
        }

        while true {
            let count = try chunk.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            if count == 0 { break }
            if fileOffset == 0 && pending.isEmpty && chunk[..<count].starts(with: Self.sqliteHeader) {
                throw ReadError(path: file, message: "an SQLite database, not text (word counts are read by train --counts)")
            }
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
    /// The first bytes of every SQLite database file.
    static let sqliteHeader = Array("SQLite format 3\u{0}".utf8)

    /// The index of the first newline of `bytes` at or after `start`.
    fileprivate static func newline(in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard start < buffer.count, let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start) else { return nil }
            return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }
}
