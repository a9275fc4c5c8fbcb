import Foundation
import FuzzSupport
import GRDB
import Training

/// The word-count store reader. An input whose first byte is even is a whole file (seeds are
/// real stores, so mutations give damaged SQLite pages); an odd one describes rows of every
/// SQLite type, written with SQL. Loading must give counts or an error, never a trap; loaded
/// words are valid UTF-8 and the total is what the integer rows add up to.
func fuzzCountStore(_ input: UnsafeRawBufferPointer) -> CInt {
    guard let mode = input.first else { return 0 }
    let path: String
    var expected: UInt64?
    if mode % 2 == 0 {
        path = ScratchFile.write(UnsafeRawBufferPointer(rebasing: input.dropFirst()), name: "store.sqlite")
    } else {
        path = rowsPath
        expected = writeRows(Array(input.dropFirst()))
    }
    guard let (counts, _) = try? WordCountStore.load([path]) else { return 0 }
    var total: UInt64 = 0
    counts.forEach { word, count in
        guard String(validating: Array(word), as: UTF8.self) != nil, !word.isEmpty else { fuzzFailure("an invalid word was loaded") }
        total &+= count
    }
    if let expected, expected != total { fuzzFailure("loaded counts total \(total), the rows \(expected)") }
    return 0
}

/// The store the row descriptions are written to, through one connection kept open (opening a
/// writer for each input would cost more than the reading under test).
let rowsPath = "\(ScratchFile.directory)/rows.sqlite"
let rowsWriter: DatabaseQueue = {
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF") }
    do {
        let queue = try DatabaseQueue(path: rowsPath, configuration: configuration)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute(sql: "CREATE TABLE words (word, count)")
            try db.execute(sql: "INSERT INTO metadata VALUES ('format', 'polytoken-word-counts-1'), ('pipeline', 'fuzz')")
        }
        return queue
    } catch {
        fatalError("cannot create \(rowsPath): \(error)")
    }
}()

/// Replaces the words rows of the rows store (at most 32) with those read from `bytes`: per row,
/// a type byte for the word and one for the count (NULL, integer, real, text, blob), a length
/// byte and the word's bytes, and eight bytes for the count. Returns the sum of the valid rows'
/// counts (nil when nothing is expected to load).
func writeRows(_ bytes: [UInt8]) -> UInt64? {
    var total: UInt64 = 0
    var valid = true
    var seen = Set<[UInt8]>()
    try? rowsWriter.write { db in
        try db.execute(sql: "DELETE FROM words")
        let insert = try db.makeStatement(sql: "INSERT INTO words VALUES (?, ?)")
        var position = 0, rows = 0
        while position + 3 <= bytes.count, rows < 32 {
            rows += 1
            let wordType = bytes[position] % 5, countType = bytes[position + 1] % 5, length = Int(bytes[position + 2] % 16)
            position += 3
            let word = Array(bytes[position..<min(position + length, bytes.count)])
            position += word.count
            var raw: UInt64 = 0
            for byte in bytes[position..<min(position + 8, bytes.count)] { raw = raw << 8 | UInt64(byte) }
            position += 8
            let number = Int64(bitPattern: raw >> UInt64(bytes.count % 50))
            let wordValue: DatabaseValue = [.null, Int64(word.count).databaseValue, Double(word.count).databaseValue,
                                            String(decoding: word, as: UTF8.self).databaseValue, Data(word).databaseValue][Int(wordType)]
            let countValue: DatabaseValue = [.null, number.databaseValue, (Double(number) / 3).databaseValue, "\(number)".databaseValue,
                                             Data(word).databaseValue][Int(countType)]
            try insert.execute(arguments: [wordValue, countValue])
            let stored: [UInt8]? = wordType == 4 ? word : wordType == 3 ? Array(String(decoding: word, as: UTF8.self).utf8) : nil
            if let stored, !stored.isEmpty, String(validating: stored, as: UTF8.self) != nil, countType == 1, number >= 0, seen.insert(stored).inserted {
                let (sum, overflow) = total.addingReportingOverflow(UInt64(number))
                valid = valid && !overflow
                total = sum
            } else {
                valid = false
            }
        }
    }
    return valid ? total : nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzCountStore(UnsafeRawBufferPointer(start: data, count: count))
}

runFuzzer()
