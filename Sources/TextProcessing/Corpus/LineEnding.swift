extension String {
    /// This line without its ending (`\n` or `\r\n`), which ``CorpusReader`` keeps on every line.
    /// Swift treats `\r\n` as one `Character`, so the ending is removed scalar by scalar.
    public var withoutLineEnding: String {
        var scalars = Substring(self).unicodeScalars
        if scalars.last == "\n" { scalars.removeLast() }
        if scalars.last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
