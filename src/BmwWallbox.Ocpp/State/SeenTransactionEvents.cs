namespace BmwWallbox.Ocpp.State;

/// <summary>
/// One station's (transactionId, seqNo) pairs seen since its last boot, to recognise a replayed
/// TransactionEvent (quirk 12). A box numbers a transaction's events 0, 1, 2, …, so each transaction's
/// seqNos are kept as runs of consecutive numbers: a station that sends for hours keeps one run of two
/// ints per transaction, where a set of every pair kept one entry (and one transaction id string) per
/// event, thousands per busy station, all of it live memory the collector had to carry.
/// Bounded: at most <see cref="MaxTransactions"/> transactions and <see cref="MaxRuns"/> runs each;
/// beyond that the oldest transaction, or a transaction's lowest run, is forgotten.
/// Used under the station's gate (one caller at a time).
/// </summary>
internal sealed class SeenTransactionEvents
{
    public const int MaxTransactions = 16;
    public const int MaxRuns = 256;

    // Oldest first; a transaction seen again moves to the end.
    private readonly List<Transaction> _transactions = [];

    /// <summary>Records the pair; false when it was seen before.</summary>
    public bool Add(string transactionId, int seqNo)
    {
        var index = _transactions.Count - 1;
        while (index >= 0 && _transactions[index].Id != transactionId) index--;
        Transaction transaction;
        if (index < 0)
        {
            if (_transactions.Count == MaxTransactions) _transactions.RemoveAt(0);
            transaction = new Transaction(transactionId);
            _transactions.Add(transaction);
        }
        else
        {
            transaction = _transactions[index];
            if (index != _transactions.Count - 1)
            {
                _transactions.RemoveAt(index);
                _transactions.Add(transaction);
            }
        }
        return transaction.Add(seqNo);
    }

    private sealed class Transaction(string id)
    {
        // Disjoint, not adjacent, ascending: [First, Last] inclusive.
        private readonly List<(int First, int Last)> _runs = [];

        public string Id { get; } = id;

        public bool Add(int seqNo)
        {
            // The usual case: the next number after the newest run.
            var count = _runs.Count;
            if (count > 0 && _runs[count - 1] is var (lastFirst, lastLast) && seqNo >= lastFirst)
            {
                if (seqNo <= lastLast) return false;
                if (seqNo == (long)lastLast + 1)
                {
                    _runs[count - 1] = (lastFirst, seqNo);
                    return true;
                }
                _runs.Add((seqNo, seqNo));
                Trim();
                return true;
            }
            // Below the newest run (a replay): find the first run that ends at or after seqNo - 1.
            long below = (long)seqNo - 1, above = (long)seqNo + 1;
            var i = 0;
            while (i < count && _runs[i].Last < below) i++;
            if (i < count && _runs[i].First <= seqNo && seqNo <= _runs[i].Last) return false;
            var joinsBelow = i < count && _runs[i].Last == below;
            var joinsAbove = joinsBelow ? i + 1 < count && _runs[i + 1].First == above : i < count && _runs[i].First == above;
            if (joinsBelow && joinsAbove)
            {
                _runs[i] = (_runs[i].First, _runs[i + 1].Last);
                _runs.RemoveAt(i + 1);
            }
            else if (joinsBelow) _runs[i] = (_runs[i].First, seqNo);
            else if (joinsAbove) _runs[i] = (seqNo, _runs[i].Last);
            else
            {
                _runs.Insert(i, (seqNo, seqNo));
                Trim();
            }
            return true;
        }

        private void Trim()
        {
            if (_runs.Count > MaxRuns) _runs.RemoveAt(0);
        }
    }
}
