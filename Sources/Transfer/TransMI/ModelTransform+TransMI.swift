extension ModelTransform {
    /// `transmi`: the model at `directory` gains the transliterations of its tokens (see
    /// ``TransliterationExpansion``); a static model's quantized vocabulary is extended too.
    public static func transMI(directory: String, mode: TransliterationMerge.Mode, transform icuTransform: String = "Any-Latin; Latin-ASCII") -> ModelTransform {
        var change = TransliterationExpansion(mode: mode)
        change.transform = icuTransform
        return ModelTransform(source: Source(directory: directory), change: change, initializers: []) { _, _ in
            [("source", directory), ("method", "transmi"), ("mode", mode.rawValue), ("transform", icuTransform)]
        }
    }
}
