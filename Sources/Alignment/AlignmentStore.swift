import Foundation
import Store
import Support

/// A word-alignment translation table in SQLite, so that one alignment serves several
/// initializations and can be inspected: the units of each side (their token ids and token
/// strings), and for each kept (source unit, target unit) pair its expected count and
/// probability. The NULL source is stored as SQL NULL.
public enum AlignmentStore {
    /// One side's unit.
    public struct Unit: Sendable {
        /// The unit's token ids.
        public var tokens: [UInt32]
        /// Its token strings joined by spaces, for reading.
        public var text: String

        /// A unit of `tokens` shown as `text`.
        public init(tokens: [UInt32], text: String) {
            self.tokens = tokens
            self.text = text
        }
    }

    /// One pair of the table.
    public struct Pair: Sendable, Equatable {
        /// The source unit, or nil for NULL.
        public var source: UInt32?
        /// The target unit.
        public var target: UInt32
        /// Its expected count.
        public var count: Double
        /// `t(target | source)`.
        public var probability: Double

        /// A pair.
        public init(source: UInt32?, target: UInt32, count: Double, probability: Double) {
            self.source = source
            self.target = target
            self.count = count
            self.probability = probability
        }
    }

    /// A stored alignment.
    public struct Contents: Sendable {
        /// Source-side units, by id.
        public var sourceUnits: [Unit]
        /// Target-side units, by id.
        public var targetUnits: [Unit]
        /// The pairs.
        public var pairs: [Pair]
        /// What was run.
        public var settings: [(key: String, value: String)]
        /// The file these contents were read from, if any, for messages.
        public var origin: String?

        /// Stored contents.
        public init(sourceUnits: [Unit], targetUnits: [Unit], pairs: [Pair], settings: [(key: String, value: String)]) {
            self.sourceUnits = sourceUnits
            self.targetUnits = targetUnits
            self.pairs = pairs
            self.settings = settings
        }
    }

    /// Writes `contents` to a new database at `path`, atomically (see `AtomicOutput`).
    public static func write(_ contents: Contents, to path: String) throws {
        try write(contents, to: AtomicOutput(path, kind: .file, replacing: true))
    }

    /// Writes `contents` as the content of `output` and commits it.
    public static func write(_ contents: Contents, to output: AtomicOutput) throws {
        try StoreWriter.write(output, what: "the alignment table") { db in
            try db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute("CREATE TABLE units (side TEXT NOT NULL, id INTEGER NOT NULL, tokens TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (side, id)) WITHOUT ROWID")
            try db.execute("CREATE TABLE pairs (source INTEGER, target INTEGER NOT NULL, count REAL NOT NULL, probability REAL NOT NULL)")
            for (key, value) in contents.settings { try db.execute("INSERT INTO settings VALUES (?, ?)", [.text(key), .text(value)]) }
            let unit = try db.prepare("INSERT INTO units VALUES (?, ?, ?, ?)")
            for (side, units) in [("source", contents.sourceUnits), ("target", contents.targetUnits)] {
                for (id, value) in units.enumerated() {
                    try unit.execute([.text(side), .integer(Int64(id)), .text(value.tokens.map(String.init).joined(separator: " ")), .text(value.text)])
                }
            }
            let pair = try db.prepare("INSERT INTO pairs VALUES (?, ?, ?, ?)")
            for value in contents.pairs {
                try pair.execute([value.source.map { .integer(Int64($0)) } ?? .null, .integer(Int64(value.target)), .real(value.count), .real(value.probability)])
            }
            try db.execute("CREATE INDEX pairs_by_target ON pairs (target)")
        }
    }

    /// Reads a database written by `write(_:to:)`. Every value is checked (units numbered from 0
    /// on each side, token ids that fit in 32 bits, pairs naming existing units, counts and
    /// probabilities between 0 and 10^15, beyond any corpus); errors name the file, the table and the row.
    public static func read(_ path: String) throws -> Contents {
        try StoreReader.read(path, kind: "alignment table", tables: ["settings", "units", "pairs"]) { db in
            var units: [String: [Unit]] = ["source": [], "target": []]
            var row = 0
            try db.forEachRow("SELECT side, id, tokens, text FROM units ORDER BY side, id") { values in
                row += 1
                guard case .text(let side) = values[0], units[side] != nil else {
                    throw db.error("units row \(row): side is \(values[0]), expected 'source' or 'target'")
                }
                guard case .integer(let id) = values[1], id == units[side]!.count else {
                    throw db.error("units row \(row): \(side) unit id is \(values[1]), expected \(units[side]!.count) (ids run from 0 without gaps)")
                }
                guard case .text(let tokenList) = values[2], case .text(let text) = values[3] else {
                    throw db.error("units row \(row): tokens or text is not text")
                }
                let fields = tokenList.split(separator: " ")
                let tokens = fields.compactMap { UInt32($0) }
                guard tokens.count == fields.count else {
                    throw db.error("units row \(row): tokens \(String(tokenList.prefix(40)).debugDescription) is not a list of token ids")
                }
                units[side]!.append(Unit(tokens: tokens, text: text))
            }
            let sourceCount = units["source"]!.count, targetCount = units["target"]!.count
            var pairs: [Pair] = []
            row = 0
            try db.forEachRow("SELECT source, target, count, probability FROM pairs ORDER BY rowid") { values in
                row += 1
                let source: UInt32?
                switch values[0] {
                case .null: source = nil
                case .integer(let id) where id >= 0 && id < sourceCount: source = UInt32(id)
                case let other: throw db.error("pairs row \(row): source is \(other), expected NULL or a source unit id below \(sourceCount)")
                }
                guard case .integer(let target) = values[1], target >= 0, target < targetCount else {
                    throw db.error("pairs row \(row): target is \(values[1]), expected a target unit id below \(targetCount)")
                }
                func number(_ index: Int, _ name: String) throws -> Double {
                    guard let value = values[index].number else {
                        throw db.error("pairs row \(row): \(name) is \(values[index]), expected a number")
                    }
                    guard value >= 0, value <= 1e15 else {
                        throw db.error("pairs row \(row): \(name) is \(value), expected a non-negative number of at most 10^15")
                    }
                    return value
                }
                pairs.append(Pair(source: source, target: UInt32(target), count: try number(2, "count"), probability: try number(3, "probability")))
            }
            let settings = try db.keyValues(table: "settings").sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            var contents = Contents(sourceUnits: units["source"]!, targetUnits: units["target"]!, pairs: pairs, settings: settings)
            contents.origin = path
            return contents
        }
    }
}
