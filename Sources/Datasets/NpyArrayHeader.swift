import Foundation
import Support

/// The header of a one-dimensional `.npy` array: its type, length and where its data starts.
public struct NpyArrayHeader: Sendable {
    /// The file.
    public let path: String
    /// NumPy's type string (`<u2`).
    public let description: String
    /// The number of elements.
    public let count: Int
    /// The byte offset of the first element.
    public let dataOffset: Int

    /// Reads the header of `path`; errors name the file and what is wrong.
    public init(path: String) throws {
        self.path = path
        guard let status = FileStatus(path: path), status.kind == .regular else {
            throw DatasetError(path, FileStatus(path: path) == nil ? "no such file" : "not a regular file")
        }
        let prefix = try MegatronIndex.readBytes(path, count: min(status.size, 12), at: 0)
        guard prefix.count >= 10, prefix[0] == 0x93, Array(prefix[1..<6]) == Array("NUMPY".utf8) else { throw DatasetError(path, "not a .npy file") }
        let length: Int, start: Int
        switch prefix[6] {
        case 1: length = Int(prefix[8]) | Int(prefix[9]) << 8; start = 10
        case 2, 3:
            guard prefix.count >= 12 else { throw DatasetError(path, "its header is cut short") }
            length = Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24; start = 12
        default: throw DatasetError(path, ".npy version \(prefix[6]) is not known")
        }
        guard start + length <= status.size else { throw DatasetError(path, "its header is cut short") }
        let text = String(decoding: try MegatronIndex.readBytes(path, count: length, at: start), as: UTF8.self)
        func value(_ key: String) -> Substring? {
            guard let range = text.range(of: "'\(key)':") else { return nil }
            return text[range.upperBound...].drop(while: { $0 == " " })
        }
        guard let descr = value("descr"), descr.first == "'", let end = descr.dropFirst().firstIndex(of: "'") else {
            throw DatasetError(path, "its header has no 'descr'")
        }
        description = String(descr[descr.index(after: descr.startIndex)..<end])
        guard value("fortran_order")?.hasPrefix("False") == true else { throw DatasetError(path, "is not in C order") }
        guard let shape = value("shape"), shape.first == "(", let close = shape.firstIndex(of: ")") else {
            throw DatasetError(path, "its header has no 'shape'")
        }
        let dimensions = shape[shape.index(after: shape.startIndex)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard dimensions.count == 1, let count = Int(dimensions[0]) else {
            throw DatasetError(path, "has shape (\(dimensions.joined(separator: ", "))), not one dimension")
        }
        self.count = count
        dataOffset = start + length
        guard let element = Self.elementSize(description), status.size == dataOffset + count * element else {
            throw DatasetError(path, "is \(status.size) bytes, which \(count) elements of \(description) after a \(dataOffset)-byte header do not fill")
        }
    }

    private static func elementSize(_ description: String) -> Int? {
        guard description.count >= 3, let size = Int(description.dropFirst(2)), description.first == "<" || description.first == "|" else { return nil }
        return size
    }
}
