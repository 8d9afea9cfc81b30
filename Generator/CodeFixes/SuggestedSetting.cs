using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace ModelCompiler.CodeFixes
{
    /// <summary>
    /// One layer setting that the generator suggests for MC0005, such as <c>Stride = 1</c>, read from the diagnostic's
    /// "Fixes" property: "Name:value:output" entries separated by ';', for example "Padding:2:10;Stride:1:24;Stride:23:2",
    /// where output is the output size the setting gives ("24" or "24x23").
    /// </summary>
    internal readonly struct SuggestedSetting
    {
        public const string PropertyName = "Fixes";

        public SuggestedSetting(string name, int value, string? output)
        {
            Name = name;
            Value = value;
            Output = output;
        }

        /// <summary>The attribute's property name, such as "Stride" or "PaddingWidth".</summary>
        public string Name { get; }

        public int Value { get; }

        /// <summary>The output size the setting gives, such as "24" or "24x23", when the generator stated it.</summary>
        public string? Output { get; }

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
                string[] rest = entry.Substring(separator + 1).Split(':');
                string? output = rest.Length > 1 && Regex.IsMatch(rest[1].Trim(), "^[0-9]+(x[0-9]+)?$") ? rest[1].Trim() : null;
                if (WindowSetting.TryFind(name, out _, out _) && int.TryParse(rest[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
                {
                    settings.Add(new SuggestedSetting(name, parsed, output));
                }
            }

            return settings;
        }

        public override string ToString() => Name + " = " + ValueText;
    }
}
