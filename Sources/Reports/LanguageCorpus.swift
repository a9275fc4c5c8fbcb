import Foundation
import Support
import TextProcessing

/// The text of one language: the files a report measures under one name.
public struct LanguageCorpus: Sendable, Equatable {
    /// The language's name: a code such as `en`, from a file or directory name.
    public var name: String
    /// Its files (or `-`).
    public var paths: [String]

    public init(name: String, paths: [String]) {
        self.name = name
        self.paths = paths
    }

    /// The languages `paths` name, in order: a file is one language named by its name up to the
    /// first dot (`en.txt`, `de.txt.gz`); a directory holding subdirectories is a language per
    /// subdirectory (all the files under it), named by the subdirectory; any other directory is
    /// a language per file; `-` is `stdin`. Paths of the same name are one language.
    public static func languages(in paths: [String]) throws -> [LanguageCorpus] {
        var languages: [LanguageCorpus] = []
        func add(_ name: String, _ files: [String]) {
            if let index = languages.firstIndex(where: { $0.name == name }) {
                languages[index].paths += files
            } else {
                languages.append(LanguageCorpus(name: name, paths: files))
            }
        }
        for path in paths {
            if path == "-" { add("stdin", [path]); continue }
            guard FileStatus(path: path)?.kind == .directory else {
                for file in try CorpusReader(paths: [path]).files() { add(name(of: file), [file]) }
                continue
            }
            let entries = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
            let subdirectories = entries.filter { FileStatus(path: "\(path)/\($0)")?.kind == .directory }
            if subdirectories.isEmpty {
                for file in try CorpusReader(paths: [path]).files() { add(name(of: file), [file]) }
            } else {
                for directory in subdirectories { add(directory, try CorpusReader(paths: ["\(path)/\(directory)"]).files()) }
            }
        }
        return languages
    }

    /// The language a file is named for: its base name up to the first dot.
    static func name(of path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return String(base.split(separator: ".", omittingEmptySubsequences: false).first ?? Substring(base))
    }
}
