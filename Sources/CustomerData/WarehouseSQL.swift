/// Emits SQL (PostgreSQL / DuckDB dialect) that computes the same customer summary as
/// `TransactionSummarizer`, so the expensive step can run where the transactions already are.
///
/// Every identifier is double-quoted (embedded quotes doubled) and every literal single-quoted
/// (embedded quotes doubled): nothing from the caller is pasted in raw. The date column must be a
/// DATE/TIMESTAMP or ISO `yyyy-MM-dd` text. Unlike the Swift summariser, rows after the observation
/// end are filtered out rather than reported. Row order is unspecified.
public enum WarehouseSQL {
    /// `"name"` with embedded `"` doubled.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `'text'` with embedded `'` doubled.
    public static func quoteLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The FROM item for `source`: a quoted (schema-qualified) table, DuckDB's CSV reader, or the query as a subquery.
    public static func fromClause(_ source: SQLSource) -> String {
        switch source {
        case .table(let parts): return parts.map(quoteIdentifier).joined(separator: ".")
        case .duckDBCSV(let path): return "read_csv(\(quoteLiteral(path)), header = true, all_varchar = true)"
        case .query(let sql):
            var body = sql.trimmingCharacters(in: .whitespacesAndNewlines)
            while body.hasSuffix(";") { body = String(body.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
            return "(\n\(body)\n) AS source"
        }
    }

    /// PostgreSQL's `to_date` template for a date pattern (yyyy → YYYY, MM/M → MM, dd/d → DD; literals quoted).
    public static func postgresDateTemplate(_ pattern: DatePattern) -> String {
        var template = ""
        for token in pattern.tokens {
            switch token {
            case .year4: template += "YYYY"
            case .month2, .month1or2: template += "MM"
            case .day2, .day1or2: template += "DD"
            case .literal(let c):
                let ch = String(UnicodeScalar(c))
                if c == UInt8(ascii: "\"") { template += "\\\"" }                  // \" is a literal quote
                else if Character(ch).isLetter { template += "\"" + ch + "\"" }    // quoted text is literal
                else { template += ch }
            }
        }
        return template
    }

    /// The summary query. Holdout columns are produced when `calibrationEnd` is given; the observation
    /// end defaults to the last date in the data, and the calibration end to the observation end.
    public static func summary(from source: SQLSource, customer: String, date: String, amount: String?,
                               timeUnit: TimeUnit, calibrationEnd: CalendarDay? = nil,
                               observationEnd: CalendarDay? = nil, textDatePattern: DatePattern? = nil) -> String {
        let from = fromClause(source)
        let unit = "CAST(\(timeUnit.days.description) AS DOUBLE PRECISION)"
        let amountExpr = amount.map { "CAST(\(quoteIdentifier($0)) AS DOUBLE PRECISION)" } ?? "CAST(0 AS DOUBLE PRECISION)"
        // Dates are cast to DATE, or for text in another layout read with PostgreSQL's to_date.
        let dateExpr = textDatePattern.flatMap { $0.isISO ? nil : $0 }.map {
            "to_date(CAST(\(quoteIdentifier(date)) AS TEXT), \(quoteLiteral(postgresDateTemplate($0))))"
        } ?? "CAST(\(quoteIdentifier(date)) AS DATE)"
        let obs = observationEnd.map { "DATE \(quoteLiteral($0.description))" }
        let cal = calibrationEnd.map { "DATE \(quoteLiteral($0.description))" }
        let bounds: String
        switch (cal, obs) {
        case let (c?, o?): bounds = "SELECT \(o) AS observation_end, \(c) AS calibration_end"
        case let (nil, o?): bounds = "SELECT \(o) AS observation_end, \(o) AS calibration_end"
        case let (c?, nil): bounds = "SELECT MAX(day) AS observation_end, \(c) AS calibration_end FROM tx"
        case (nil, nil): bounds = "SELECT MAX(day) AS observation_end, MAX(day) AS calibration_end FROM tx"
        }
        let inCal = "f.day <= b.calibration_end"
        let repeatDay = "f.day <= b.calibration_end AND f.day > f.first_day"
        var select = """
            SELECT f.customer_id AS customer_id,
                   CAST(COUNT(*) FILTER (WHERE \(inCal)) - 1 AS DOUBLE PRECISION) AS frequency,
                   CAST(MAX(f.day) FILTER (WHERE \(inCal)) - MIN(f.first_day) AS DOUBLE PRECISION) / \(unit) AS recency,
                   CAST(MIN(b.calibration_end) - MIN(f.first_day) AS DOUBLE PRECISION) / \(unit) AS "T",
                   COALESCE(SUM(f.amount) FILTER (WHERE \(repeatDay)) / NULLIF(COUNT(*) FILTER (WHERE \(repeatDay)), 0), 0) AS monetary_value
            """
        if calibrationEnd != nil {
            select += """
                ,
                       CAST(COUNT(*) FILTER (WHERE f.day > b.calibration_end) AS DOUBLE PRECISION) AS frequency_holdout,
                       COALESCE(SUM(f.amount) FILTER (WHERE f.day > b.calibration_end) / NULLIF(COUNT(*) FILTER (WHERE f.day > b.calibration_end), 0), 0) AS monetary_value_holdout,
                       CAST(MIN(b.observation_end) - MIN(b.calibration_end) AS DOUBLE PRECISION) / \(unit) AS duration_holdout
                """
        }
        let obsFilter = obs.map { "\n    WHERE \(dateExpr) <= \($0)" } ?? ""
        return """
            WITH tx AS (
                SELECT CAST(\(quoteIdentifier(customer)) AS VARCHAR) AS customer_id,
                       \(dateExpr) AS day,
                       \(amountExpr) AS amount
                FROM \(from)\(obsFilter)
            ),
            bounds AS (
                \(bounds)
            ),
            days AS (
                SELECT customer_id, day, SUM(amount) AS amount
                FROM tx
                GROUP BY customer_id, day
            ),
            firsts AS (
                SELECT customer_id, day, amount, MIN(day) OVER (PARTITION BY customer_id) AS first_day
                FROM days
            )
            \(select)
            FROM firsts f CROSS JOIN bounds b
            GROUP BY f.customer_id
            HAVING MIN(f.first_day) <= MIN(b.calibration_end)
            """
    }
}
