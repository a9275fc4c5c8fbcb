import Support

/// The kind of ``StoreError``.
public enum StoreProblem {}
/// An unusable store file, with the file and what is wrong with it (the table and row where it applies).
public typealias StoreError = LocatedError<StoreProblem>
