namespace BmwWallbox.Yaml;

/// <summary>
/// Why a file is not YAML at all. <see cref="HasPlace"/> is false when the scanner gave up without a
/// position (some unterminated flow collections); Line and Column are then 0.
/// </summary>
public sealed record YamlSyntaxError(int Line, int Column, string Reason, bool HasPlace);
