namespace DiffSim.Training;

/// <summary>Which parameters a fit moves, chosen by name as configs choose them.</summary>
public static class FreeParameters
{
    /// <summary>
    /// The free flag of each parameter of <paramref name="names"/> (as a field's <c>ParameterNames</c>: "epsilon[A-B]"):
    /// an entry of <paramref name="free"/> selects the parameter of that name, or, bare ("epsilon"), that parameter of
    /// every type pair (case-insensitive); null frees them all. An entry that selects nothing throws, naming the
    /// parameters there are.
    /// </summary>
    public static bool[] Mask(IReadOnlyList<string> names, IEnumerable<string>? free)
    {
        if (free is null) return names.Select(_ => true).ToArray();
        var mask = new bool[names.Count];
        foreach (var f in free)
        {
            var hit = false;
            for (var k = 0; k < names.Count; k++)
            {
                var bracket = names[k].IndexOf('[');
                var bare = bracket > 0 ? names[k][..bracket] : names[k];
                if (string.Equals(f, names[k], StringComparison.OrdinalIgnoreCase) || string.Equals(f, bare, StringComparison.OrdinalIgnoreCase))
                {
                    mask[k] = true;
                    hit = true;
                }
            }
            if (!hit)
                throw new ArgumentException(names.Count <= 32
                    ? $"unknown parameter \"{f}\"; the parameters are {string.Join(", ", names)}"
                    : $"unknown parameter \"{f}\"; the {names.Count} parameters here are a network's weights ({names[0]}, …), trained as a whole: leave free out");
        }
        return mask;
    }
}
