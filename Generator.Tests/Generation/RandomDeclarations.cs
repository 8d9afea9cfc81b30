using System.Globalization;
using System.Text;
using CsCheck;

namespace ModelCompiler.Tests.Generation;

/// <summary>The layer attributes that random declarations use, which are the kinds <see cref="RandomDeclarationOracle"/> models.</summary>
internal enum RandomLayerKind
{
    Conv2D,
    MaxPool2D,
    Dense,
    ReLU,
    SoftmaxCrossEntropy,
}

/// <summary>
/// One layer attribute of a random declaration. A null argument is left out of the attribute text, so the
/// attribute's default applies. <see cref="Units"/> is the filter count of a convolution and the units of a dense layer.
/// </summary>
internal sealed record RandomLayer(RandomLayerKind Kind, int? Units = null, int? Size = null, int? Stride = null, int? Padding = null, bool NamedUnits = false)
{
    public string ToAttribute() => Kind switch
    {
        RandomLayerKind.Conv2D => "[Conv2D(" + NamedArguments(("Filters", Units), ("Size", Size), ("Stride", Stride), ("Padding", Padding)) + ")]",
        RandomLayerKind.MaxPool2D => "[MaxPool2D(" + NamedArguments(("Size", Size), ("Stride", Stride)) + ")]",
        RandomLayerKind.Dense => NamedUnits ? "[Dense(units: " + Format(Units) + ")]" : "[Dense(" + Format(Units) + ")]",
        RandomLayerKind.ReLU => "[ReLU]",
        _ => "[SoftmaxCrossEntropy]",
    };

    private static string NamedArguments(params (string Name, int? Value)[] arguments) =>
        string.Join(", ", arguments.Where(argument => argument.Value is not null).Select(argument => argument.Name + " = " + Format(argument.Value)));

    private static string Format(int? value) => value!.Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A random <c>[Model]</c> class: input dimensions (null when not written), the layer attributes in source order,
/// and optionally one attribute whose text does not parse or bind, placed before layer <see cref="BrokenPosition"/>.
/// </summary>
internal sealed record RandomDeclaration(
    int? Channels,
    int? Height,
    int? Width,
    IReadOnlyList<RandomLayer> Layers,
    string? BrokenAttribute,
    int BrokenPosition,
    bool CompileOutput)
{
    public const string ClassName = "Net";

    public string Source
    {
        get
        {
            var lines = new List<string>
            {
                "[Model(" + string.Join(", ", new[] { ("Channels", Channels), ("Height", Height), ("Width", Width) }
                    .Where(dimension => dimension.Item2 is not null)
                    .Select(dimension => dimension.Item1 + " = " + dimension.Item2!.Value.ToString(CultureInfo.InvariantCulture))) + ")]",
            };
            lines.AddRange(Layers.Select(layer => layer.ToAttribute()));
            if (BrokenAttribute is not null)
            {
                lines.Insert(1 + Math.Min(BrokenPosition, Layers.Count), BrokenAttribute);
            }

            var source = new StringBuilder("using ModelCompiler;\n\nnamespace RandomModels;\n\n");
            foreach (var line in lines)
            {
                source.Append(line).Append('\n');
            }

            return source.Append("public partial class ").Append(ClassName).Append("\n{\n}\n").ToString();
        }
    }
}

/// <summary>
/// CsCheck generators of random declarations. Most arguments are small and ordinary, and some are edge values
/// (zero, negative, huge) or left out. In three of four declarations the ordinary arguments are then adjusted so
/// that every output size is whole, because valid declarations with several layers would otherwise be rare.
/// </summary>
internal static class RandomDeclarations
{
    /// <summary>Values that break a rule wherever they appear: below 1, or so large that a tensor passes the size limit.</summary>
    public static readonly int[] EdgeValues = { 0, -1, -3, int.MinValue, 1_000_000, int.MaxValue };

    /// <summary>Edge values for filter counts, units and kernel sizes.</summary>
    public static readonly int[] CountEdgeValues = EdgeValues;

    /// <summary>Attribute text that does not parse or does not bind, each of which the C# compiler reports as an error.</summary>
    public static readonly string[] BrokenAttributes =
    {
        "[Dense(\"x\")]",
        "[Conv2D(Filters = )]",
        "[Conv2D(Filters = 2 Size = 3)]",
        "[Conv2D(Filters = 2, Size = 3, Strides = 1)]",
        "[Conv2D(Filters = 2, Size = 3, Padding = null)]",
        "[MaxPool2D(Size = 2.5)]",
        "[MaxPool2D(Size = \"2\")]",
        "[Dense]",
        "[Dense(3, 4)]",
        "[Dense(units: 4, units: 5)]",
        "[Dense(int.MaxValue + 1)]",
        "[ReLU(1)]",
        "[SoftmaxCrossEntropy(]",
        "[Pool2D(Size = 2)]",
        "[Model(Channels = 1)]",
        "[Conv2D(Filters = 1, Size = 1,)]",
    };

    private enum LossPlacement
    {
        Last,
        Missing,
        Early,
        Twice,
    }

    public static Gen<RandomDeclaration> WellFormed { get; } =
        Gen.Select(
            Dimension(),
            Dimension(),
            Dimension(),
            Layer().Array[0, 8],
            Gen.Frequency((12, LossPlacement.Last), (1, LossPlacement.Missing), (1, LossPlacement.Early), (1, LossPlacement.Twice)),
            Gen.Int[0, 99],
            Gen.Int[0, 3],
            Gen.Int[0, 2],
            (channels, height, width, layers, loss, position, fit, compile) =>
            {
                var fitted = fit == 0 ? layers.ToList() : Fit(channels ?? 1, height ?? 1, width ?? 1, layers);
                return new RandomDeclaration(channels, height, width, PlaceLoss(fitted, loss, position), null, 0, compile == 0);
            });

    public static Gen<RandomDeclaration> WithBrokenAttribute { get; } =
        Gen.Select(WellFormed, Gen.OneOf(BrokenAttributes), Gen.Int[0, 8], Gen.Bool, (declaration, broken, position, replaceModel) =>
            replaceModel && broken.StartsWith("[Model", StringComparison.Ordinal)
                ? declaration with { BrokenAttribute = "[Model(Channels = 1, Height = , Width = 4)]", BrokenPosition = position }
                : declaration with { BrokenAttribute = broken, BrokenPosition = position });

    private static Gen<int?> Dimension() =>
        Gen.Frequency(
            (20, Gen.Int[1, 16].Select(value => (int?)value)),
            (4, Gen.Int[17, 64].Select(value => (int?)value)),
            (2, Gen.Const((int?)null)),
            (2, Gen.OneOf(EdgeValues).Select(value => (int?)value)));

    /// <summary>
    /// An argument in [<paramref name="min"/>, <paramref name="max"/>], sometimes one of <paramref name="edgeValues"/>,
    /// and left out with weight <paramref name="omitted"/> of 28.
    /// </summary>
    private static Gen<int?> Argument(int min, int max, int omitted, int[] edgeValues) =>
        Gen.Frequency(
            (26 - omitted, Gen.Int[min, max].Select(value => (int?)value)),
            (omitted, Gen.Const((int?)null)),
            (2, Gen.OneOf(edgeValues).Select(value => (int?)value)));

    private static Gen<RandomLayer> Layer() =>
        Gen.Frequency(
            (3, Gen.Select(Argument(1, 8, 1, CountEdgeValues), Argument(1, 5, 1, CountEdgeValues), Argument(1, 3, 10, EdgeValues), Argument(0, 2, 10, EdgeValues),
                (filters, size, stride, padding) => new RandomLayer(RandomLayerKind.Conv2D, filters, size, stride, padding))),
            (2, Gen.Select(Argument(1, 4, 1, CountEdgeValues), Argument(1, 3, 12, EdgeValues),
                (size, stride) => new RandomLayer(RandomLayerKind.MaxPool2D, Size: size, Stride: stride))),
            (2, Gen.Select(Gen.Frequency((24, Gen.Int[1, 16]), (2, Gen.OneOf(CountEdgeValues))), Gen.Bool,
                (units, named) => new RandomLayer(RandomLayerKind.Dense, units, NamedUnits: named))),
            (2, Gen.Const(new RandomLayer(RandomLayerKind.ReLU))));

    private static List<RandomLayer> PlaceLoss(List<RandomLayer> layers, LossPlacement placement, int position)
    {
        var loss = new RandomLayer(RandomLayerKind.SoftmaxCrossEntropy);
        var placed = new List<RandomLayer>(layers);
        if (placement is LossPlacement.Last or LossPlacement.Twice)
        {
            placed.Add(loss);
        }

        if (placement is LossPlacement.Early or LossPlacement.Twice)
        {
            placed.Insert(position % (layers.Count + 1), loss);
        }

        return placed;
    }

    /// <summary>
    /// Moves dense layers after the spatial ones and shrinks kernels and strides with ordinary values until
    /// every output size is whole. Stops adjusting at the first edge value, because the shape is undefined after it.
    /// </summary>
    private static List<RandomLayer> Fit(int channels, int height, int width, RandomLayer[] layers)
    {
        var ordered = layers.OrderBy(layer => layer.Kind == RandomLayerKind.Dense ? 1 : 0).ToList();
        if (channels < 1 || height < 1 || width < 1 || height > 64 || width > 64)
        {
            return ordered;
        }

        var fitted = new List<RandomLayer>();
        bool shapeKnown = true;
        foreach (var layer in ordered)
        {
            var result = layer;
            if (shapeKnown && layer.Kind == RandomLayerKind.Conv2D)
            {
                shapeKnown = layer.Units >= 1 && IsOrdinary(layer.Size, 1) && IsOrdinary(layer.Stride ?? 1, 1) && IsOrdinary(layer.Padding ?? 0, 0);
                if (shapeKnown)
                {
                    int padding = layer.Padding ?? 0;
                    int size = Math.Min(layer.Size!.Value, Math.Min(height, width) + 2 * padding);
                    int stride = LargestDivisorAtMost(GreatestCommonDivisor(height + 2 * padding - size, width + 2 * padding - size), layer.Stride ?? 1);
                    result = layer with { Size = size, Stride = layer.Stride is null && stride == 1 ? null : stride };
                    height = (height + 2 * padding - size) / stride + 1;
                    width = (width + 2 * padding - size) / stride + 1;
                }
            }
            else if (shapeKnown && layer.Kind == RandomLayerKind.MaxPool2D)
            {
                shapeKnown = IsOrdinary(layer.Size, 1) && IsOrdinary(layer.Stride ?? 1, 1);
                if (shapeKnown)
                {
                    int size = Math.Min(layer.Size!.Value, Math.Min(height, width));
                    int stride = LargestDivisorAtMost(GreatestCommonDivisor(height - size, width - size), layer.Stride ?? size);
                    result = layer with { Size = size, Stride = layer.Stride is null && stride == size ? null : stride };
                    height = (height - size) / stride + 1;
                    width = (width - size) / stride + 1;
                }
            }
            else if (layer.Kind == RandomLayerKind.Dense)
            {
                shapeKnown = false;
            }

            fitted.Add(result);
        }

        return fitted;
    }

    /// <summary>True for an argument from the ordinary range, which <see cref="Fit"/> may adjust; edge values stay as drawn.</summary>
    private static bool IsOrdinary(int? value, int min) => value >= min && value <= 8;

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);

    /// <summary>The largest divisor of <paramref name="value"/> not above <paramref name="limit"/>, or the limit itself for 0, which every stride divides.</summary>
    private static int LargestDivisorAtMost(int value, int limit)
    {
        if (value == 0)
        {
            return limit;
        }

        for (int candidate = Math.Min(limit, value); candidate > 1; candidate--)
        {
            if (value % candidate == 0)
            {
                return candidate;
            }
        }

        return 1;
    }
}
