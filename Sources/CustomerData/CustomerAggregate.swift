/// Per-customer running totals, updated row by row in any order and mergeable across threads.
struct CustomerAggregate {
    /// First purchase day (over calibration and holdout).
    var firstDay: Int32
    /// Last purchase day within the calibration period (Int32.min if none).
    var lastCalibrationDay: Int32
    /// Summed amount on the first purchase day.
    var firstDayAmount: Double
    /// Sums of amounts in the calibration period and in the holdout period.
    var calibrationAmount: Double
    var holdoutAmount: Double

    /// Totals of a customer's first row.
    @inline(__always)
    init(day: Int32, amount: Double, calibrationEnd: Int32) {
        firstDay = day
        firstDayAmount = amount
        if day <= calibrationEnd {
            lastCalibrationDay = day
            calibrationAmount = amount
            holdoutAmount = 0
        } else {
            lastCalibrationDay = Int32.min
            calibrationAmount = 0
            holdoutAmount = amount
        }
    }

    @inline(__always)
    mutating func add(day: Int32, amount: Double, calibrationEnd: Int32) {
        if day < firstDay {
            firstDay = day
            firstDayAmount = amount
        } else if day == firstDay {
            firstDayAmount += amount
        }
        if day <= calibrationEnd {
            calibrationAmount += amount
            if day > lastCalibrationDay { lastCalibrationDay = day }
        } else {
            holdoutAmount += amount
        }
    }

    /// Combines the totals of the same customer from another part of the file.
    mutating func merge(_ other: CustomerAggregate) {
        if other.firstDay < firstDay {
            firstDay = other.firstDay
            firstDayAmount = other.firstDayAmount
        } else if other.firstDay == firstDay {
            firstDayAmount += other.firstDayAmount
        }
        lastCalibrationDay = max(lastCalibrationDay, other.lastCalibrationDay)
        calibrationAmount += other.calibrationAmount
        holdoutAmount += other.holdoutAmount
    }
}
