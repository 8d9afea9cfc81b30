using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace ModelCompiler.CodeFixes
{
    /// <summary>
    /// One layer setting that the generator suggests for MC0005, such as <c>Stride = 1</c>, read from the diagnostic's
    /// "Fixes" property: "Name:value" pairs separated by ';', for example "Padding:2;Stride:1;Stride:23".
    /// </summary>
    internal readonly struct SuggestedSetting
    {
        public const string PropertyName = "Fixes";

        public SuggestedSetting(string name, int value)
        {
            Name = name;
            Value = value;
        }

        /// <summary>The attribute's property name, such as "Stride" or "PaddingWidth".</summary>
        public string Name { get; }

        public int Value { get; }

        public string ValueText => Value.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// Reads the suggestions of <paramref name="diagnostic"/> in their order. Skips entries that are not a
        /// window setting name and an integer, so a format change in the generator offers fewer fixes rather than
        /// wrong ones.
        /// </summary>
        public static List<SuggestedSetting> ReadAll(Diagnostic diagnostic)
        {
            var settings = new List<SuggestedSetting>();
            if (!diagnostic.Properties.TryGetValue(PropertyName, out string? property) || property is null)
            {
                return settings;
            }

            foreach (string entry in property.Split(';'))
            {
                int separator = entry.IndexOf(':');
                if (separator <= 0)
                {
                    continue;
                }

                string name = entry.Substring(0, separator).Trim();
                string value = entry.Substring(separator + 1).Trim();
                if (WindowSetting.TryFind(name, out _, out _) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
                {
                    settings.Add(new SuggestedSetting(name, parsed));
                }
            }

            return settings;
        }

        /// <summary>
        /// Returns the output size that the diagnostic's message gives for this setting, such as "24" or "24x23", or
        /// null when the message does not state it.
        /// </summary>
        /// <remarks>
        /// The "Fixes" property carries no output sizes, and computing them would need the layer's input shape from
        /// the generator's shape inference. The message lists each suggestion as "Name = value (output N)", so the
        /// size is read from there.
        /// </remarks>
        public string? FindOutputIn(string message)
        {
            string pattern = "(?<![A-Za-z])" + Regex.Escape(Name) + " = " + ValueText + @" \(output (?<output>[0-9]+(x[0-9]+)?)\)";
            var match = Regex.Match(message, pattern, RegexOptions.CultureInvariant);
            return match.Success ? match.Groups["output"].Value : null;
        }

        public override string ToString() => Name + " = " + ValueText;
    }
}
