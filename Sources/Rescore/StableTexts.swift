import CustomerData

/// UTF-8 texts at fixed addresses for binding without a copy: each ISO day once, and any other text.
struct StableTexts {
    private var days: [Int: UnsafeMutableBufferPointer<UInt8>] = [:]
    private var others: [UnsafeMutableBufferPointer<UInt8>] = []

    mutating func day(_ day: CalendarDay) -> UnsafeBufferPointer<UInt8> {
        if let text = days[day.dayNumber] { return UnsafeBufferPointer(text) }
        let text = Self.copy(day.description)
        days[day.dayNumber] = text
        return UnsafeBufferPointer(text)
    }

    mutating func text(_ string: String) -> UnsafeBufferPointer<UInt8> {
        let text = Self.copy(string)
        others.append(text)
        return UnsafeBufferPointer(text)
    }

    static func copy(_ string: String) -> UnsafeMutableBufferPointer<UInt8> {
        let bytes = Array(string.utf8)
        let text = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
        _ = text.initialize(from: bytes)
        return UnsafeMutableBufferPointer(rebasing: text[0..<bytes.count])
    }

    func free() {
        for text in days.values { text.baseAddress.map { $0.deallocate() } }
        for text in others { text.baseAddress.map { $0.deallocate() } }
    }
}
