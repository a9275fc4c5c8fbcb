import Foundation
import Support

/// Streams a sentence-aligned parallel corpus: a TSV file (source-language side, a tab, the
/// target-language side) or two line-aligned files. Lines are read one at a time; a line with
/// no tab or more than one, a missing line on one side or invalid UTF-8 is an error naming the file and line,
/// or is skipped and counted when `skipMalformed` is set.
public struct ParallelCorpusReader {
    /// Where the pairs come from.
    public enum Source: Sendable {
        /// One TSV file, source-language text first.
        case tsv(String)
        /// Two files with one sentence per line, paired by line number.
        case lines(source: String, target: String)
    }

    /// A malformed input.
    public struct FormatError: Error, CustomStringConvertible, Sendable {
        /// The file.
        public let path: String
        /// The 1-based line.
        public let line: Int
        /// What is wrong.
        public let message: String
        /// Whether `skipMalformed` would skip the line.
        public var skippable = false
        public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
    }

    /// The input.
    public let source: Source
    /// Skips (and counts) malformed lines instead of failing.
    public var skipMalformed = false

    /// A reader of `source`.
    public init(_ source: Source, skipMalformed: Bool = false) {
        self.source = source
        self.skipMalformed = skipMalformed
    }

    /// Calls `body` with every well-formed pair and its 1-based line number, and returns the
    /// number of malformed lines skipped.
    @discardableResult
    public func forEachPair(_ body: (_ line: Int, _ source: String, _ target: String) throws -> Void) throws -> Int {
        var skipped = 0
        switch source {
        case .tsv(let path):
            let file = try LineFile(path: path)
            var number = 0
            while let line = try file.next() {
                number += 1
                guard let text = String(validating: line, as: UTF8.self) else {
                    if skipMalformed { skipped += 1; continue }
                    throw FormatError(path: path, line: number, message: "not valid UTF-8")
                }
                guard let tab = text.utf8.firstIndex(of: UInt8(ascii: "\t")) else {
                    if skipMalformed || text.isEmpty { skipped += text.isEmpty ? 0 : 1; continue }
                    throw FormatError(path: path, line: number, message: "no tab between the source and target sides", skippable: true)
                }
                let target = text[text.utf8.index(after: tab)...]
                guard !target.utf8.contains(UInt8(ascii: "\t")) else {
                    if skipMalformed { skipped += 1; continue }
                    throw FormatError(path: path, line: number, message: "more than one tab: a line holds the source side, one tab, and the target side", skippable: true)
                }
                try body(number, String(text[..<tab]), String(target))
            }
        case .lines(let sourcePath, let targetPath):
            let sources = try LineFile(path: sourcePath), targets = try LineFile(path: targetPath)
            var number = 0
            while true {
                let left = try sources.next(), right = try targets.next()
                if left == nil && right == nil { break }
                number += 1
                guard let left, let right else {
                    let (longer, shorter) = left == nil ? (targetPath, sourcePath) : (sourcePath, targetPath)
                    throw FormatError(path: longer, line: number, message: "\(shorter) has only \(number - 1) lines; the files must be line-aligned")
                }
                guard let sourceText = String(validating: left, as: UTF8.self), let targetText = String(validating: right, as: UTF8.self) else {
                    if skipMalformed { skipped += 1; continue }
                    let path = String(validating: left, as: UTF8.self) == nil ? sourcePath : targetPath
                    throw FormatError(path: path, line: number, message: "not valid UTF-8")
                }
                try body(number, sourceText, targetText)
            }
        }
        return skipped
    }
}

/// A file read line by line with `getline`, line endings (LF or CRLF) removed.
final class LineFile {
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    private let path: String

    init(path: String) throws {
        self.path = path
        if FileStatus(path: path)?.kind == .directory {
            throw ParallelCorpusReader.FormatError(path: path, line: 0, message: "is a directory, not a file")
        }
        guard let handle = fopen(path, "rb") else {
            throw ParallelCorpusReader.FormatError(path: path, line: 0, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.handle = handle
    }

    deinit {
        free(buffer)
        fclose(handle)
    }

    /// The next line's bytes, or nil at the end of the file.
    func next() throws -> [UInt8]? {
        let length = getline(&buffer, &capacity, handle)
        if length < 0 && ferror(handle) != 0 {
            throw ParallelCorpusReader.FormatError(path: path, line: 0, message: "cannot read: \(systemErrorMessage())")
        }
        guard length >= 0, let buffer else { return nil }
        var count = length
        while count > 0 && (buffer[count - 1] == 0x0A || buffer[count - 1] == 0x0D) { count -= 1 }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }
}
