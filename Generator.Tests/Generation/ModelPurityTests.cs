using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ModelCompiler.Generator;
using ModelCompiler.Tests.Infrastructure;
using Xunit;

namespace ModelCompiler.Tests.Generation;

/// <summary>
/// Checks the caching contract of the pipeline's records: they contain only plain, structurally equatable data, so
/// the incremental cache can compare them and no compilation stays alive through them.
/// </summary>
/// <remarks>
/// The model types are internal to the generator and the generator grants the tests no internal access, so the
/// tests reach them by reflection, starting from every type declared in the model namespace.
/// </remarks>
public sealed class ModelPurityTests
{
    private const string ModelNamespace = "ModelCompiler.Generator.Model";

    private static readonly Assembly GeneratorAssembly = typeof(ModelGenerator).Assembly;

    /// <summary>Roslyn types that compare by reference or keep a compilation alive.</summary>
    private static readonly Type[] ForbiddenTypes =
    {
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxToken),
        typeof(SyntaxTree),
        typeof(SyntaxReference),
        typeof(Location),
        typeof(Compilation),
        typeof(SemanticModel),
        typeof(Diagnostic),
        typeof(AttributeData),
    };

    /// <summary>Types outside the generator that compare by value and contain no Roslyn object.</summary>
    private static readonly Type[] PlainTypes =
    {
        typeof(string),
        typeof(bool),
        typeof(char),
        typeof(int),
        typeof(long),
        typeof(float),
        typeof(double),
        typeof(decimal),
        typeof(TextSpan),
        typeof(LinePosition),
        typeof(LinePositionSpan),
    };

    [Fact]
    public void ModelNamespaceHasRecords()
    {
        var names = ModelTypes().Select(type => type.Name).ToList();

        Assert.Contains("ParseResult", names);
        Assert.Contains("ModelSpec", names);
        Assert.Contains("LayerSpec", names);
        Assert.Contains("DiagnosticInfo", names);
        Assert.Contains("LocationInfo", names);
        Assert.Contains("EquatableArray`1", names);
    }

    [Fact]
    public void NoMemberStoresRoslynObject()
    {
        var problems = new List<string>();
        foreach (var (member, type) in ReachableMembers())
        {
            foreach (var part in Parts(type))
            {
                var forbidden = ForbiddenTypes.FirstOrDefault(forbiddenType => CanHold(part, forbiddenType));
                if (forbidden is not null)
                {
                    problems.Add($"{member} has type {type}, which can hold a {forbidden.Name}");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void EveryMemberComparesByValue()
    {
        var problems = new List<string>();
        foreach (var (member, type) in ReachableMembers())
        {
            if (!ComparesByValue(type))
            {
                problems.Add($"{member} has type {type}, which is neither plain data, an enum, a generator record nor EquatableArray<T>");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void EveryTypeOverridesEquality()
    {
        // Enums compare by value already, and a static class has no instances to compare.
        var dataTypes = ReachableTypes()
            .Where(type => !type.IsEnum && !type.IsGenericTypeDefinition && !(type.IsAbstract && type.IsSealed))
            .ToList();

        Assert.NotEmpty(dataTypes);
        foreach (var type in dataTypes)
        {
            const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            Assert.True(type.GetMethod("Equals", Declared, new[] { typeof(object) }) is not null, $"{type} does not override Equals(object).");
            Assert.True(type.GetMethod("GetHashCode", Declared, Type.EmptyTypes) is not null, $"{type} does not override GetHashCode().");
            Assert.True(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), $"{type} does not implement IEquatable<{type.Name}>.");
        }
    }

    /// <summary>
    /// Changes one stored member of a record at a time and expects the copy to compare unequal, which catches a
    /// hand-written Equals that skips a member. A copy whose members are rebuilt as equal values must compare equal.
    /// </summary>
    [Fact]
    public void EveryStoredMemberAffectsEquality()
    {
        var records = ReachableTypes().Where(type => IsRecord(type) && !type.IsValueType).ToList();

        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            object original = SampleValue(record, 0);
            foreach (var field in StoredFields(record))
            {
                object? current = field.GetValue(original);
                object changed = SampleValue(field.FieldType, 1);
                if (Equals(changed, current))
                {
                    changed = SampleValue(field.FieldType, 2);
                }

                object modified = Clone(original);
                field.SetValue(modified, changed);
                Assert.False(original.Equals(modified), $"{record.Name} compares equal after its member {field.Name} changed.");

                object rebuilt = Clone(original);
                field.SetValue(rebuilt, current is null ? null : CopyOf(Unwrap(field.FieldType), current));
                Assert.True(original.Equals(rebuilt), $"{record.Name} compares unequal after its member {field.Name} was replaced by an equal value.");
                Assert.Equal(original.GetHashCode(), rebuilt.GetHashCode());
            }
        }
    }

    [Fact]
    public void EquatableArrayComparesElements()
    {
        var arrayType = GeneratorAssembly.GetType(ModelNamespace + ".EquatableArray`1", throwOnError: true)!.MakeGenericType(typeof(string));
        object left = Activator.CreateInstance(arrayType, new object[] { new[] { "a", "b" } })!;
        object same = Activator.CreateInstance(arrayType, new object[] { new List<string> { "a", "b" } })!;
        object different = Activator.CreateInstance(arrayType, new object[] { new[] { "a", "c" } })!;
        object shorter = Activator.CreateInstance(arrayType, new object[] { new[] { "a" } })!;
        object empty = Activator.CreateInstance(arrayType, new object[] { Array.Empty<string>() })!;
        object defaultValue = Activator.CreateInstance(arrayType)!;

        // Assert.Equal would compare the elements itself, since the type is enumerable, so call Equals directly.
        Assert.True(left.Equals(same), "Arrays with equal elements compare unequal.");
        Assert.Equal(left.GetHashCode(), same.GetHashCode());
        Assert.False(left.Equals(different), "Arrays with different elements compare equal.");
        Assert.False(left.Equals(shorter), "Arrays of different lengths compare equal.");
        Assert.True(empty.Equals(defaultValue), "The default array and an empty array compare unequal.");
        Assert.Equal(empty.GetHashCode(), defaultValue.GetHashCode());
    }

    [Theory]
    [InlineData("[Model(Channels = 1, Height = 8, Width = 8)]\n[Conv2D(Filters = 2, Size = 3)]\n[ReLU]\n[MaxPool2D(Size = 2)]\n[Dense(4)]\n[SoftmaxCrossEntropy]\n")]
    [InlineData("[Model(Channels = 1, Height = 8, Width = 8)]\n[Conv2D(Filters = 2, Size = 3, Stride = 4)]\n[Dense(0)]\n")]
    public void IndependentParsesAreEqual(string attributes)
    {
        string source = "using ModelCompiler;\n\nnamespace Samples;\n\n" + attributes + "public partial class Net { }\n";

        object first = Assert.Single(ParseResults(GeneratorHarness.Run(source)));
        object second = Assert.Single(ParseResults(GeneratorHarness.Run(source)));

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Theory]
    [InlineData("[Dense(4)]", "[Dense(5)]")]
    [InlineData("[Model(Channels = 1, Height = 8, Width = 8)]", "[Model(Channels = 2, Height = 8, Width = 8)]")]
    [InlineData("[Conv2D(Filters = 2, Size = 3)]", "[Conv2D(Filters = 2, Size = 3, Padding = 1)]")]
    [InlineData("[ReLU]\n", "")]
    [InlineData("public partial class Net", "public partial class Other")]
    [InlineData("namespace Samples;", "namespace Other;")]
    public void DifferentDeclarationsParseUnequal(string original, string replacement)
    {
        const string Source = "using ModelCompiler;\n\nnamespace Samples;\n\n[Model(Channels = 1, Height = 8, Width = 8)]\n"
            + "[Conv2D(Filters = 2, Size = 3)]\n[ReLU]\n[Dense(4)]\n[SoftmaxCrossEntropy]\npublic partial class Net { }\n";
        Assert.Contains(original, Source);

        object first = Assert.Single(ParseResults(GeneratorHarness.Run(Source)));
        object second = Assert.Single(ParseResults(GeneratorHarness.Run(Source.Replace(original, replacement))));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void MovedInvalidDeclarationParsesUnequal()
    {
        const string Source = "using ModelCompiler;\n\n[Model(Channels = 1, Height = 8, Width = 8)]\n[Dense(0)]\n[SoftmaxCrossEntropy]\npublic partial class Net { }\n";

        object first = Assert.Single(ParseResults(GeneratorHarness.Run(Source)));
        object moved = Assert.Single(ParseResults(GeneratorHarness.Run("\n" + Source)));

        // The diagnostic's location is part of the result, so a moved error is reported at its new place.
        Assert.NotEqual(first, moved);
    }

    /// <summary>Values returned by the Parse step of a run, which are the generator's ParseResult records.</summary>
    private static List<object> ParseResults(GeneratorRun run) =>
        run.Result.TrackedSteps[ModelGenerator.Steps.Parse]
            .SelectMany(step => step.Outputs)
            .Select(output => output.Value)
            .ToList();

    /// <summary>
    /// Builds a value of <paramref name="type"/> whose contents depend on <paramref name="variant"/>, so that two
    /// calls with the same variant return equal values in separate instances and different variants differ.
    /// </summary>
    private static object SampleValue(Type type, int variant)
    {
        var unwrapped = Unwrap(type);
        if (unwrapped == typeof(string))
        {
            return new string('a', variant + 1);
        }

        if (unwrapped == typeof(int) || unwrapped == typeof(long) || unwrapped == typeof(double) || unwrapped == typeof(float))
        {
            return Convert.ChangeType(variant + 2, unwrapped, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (unwrapped == typeof(bool))
        {
            return variant % 2 == 1;
        }

        if (unwrapped.IsEnum)
        {
            var values = Enum.GetValues(unwrapped);
            return values.GetValue(variant % values.Length)!;
        }

        if (unwrapped == typeof(TextSpan))
        {
            return new TextSpan(variant, 3);
        }

        if (unwrapped == typeof(LinePositionSpan))
        {
            return new LinePositionSpan(new LinePosition(variant, 1), new LinePosition(variant, 4));
        }

        if (IsEquatableArray(unwrapped))
        {
            var elementType = unwrapped.GetGenericArguments()[0];
            var items = Array.CreateInstance(elementType, 1);
            items.SetValue(SampleValue(elementType, variant), 0);
            return Activator.CreateInstance(unwrapped, new object[] { items })!;
        }

        if (IsRecord(unwrapped))
        {
            var constructor = unwrapped.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            var arguments = constructor.GetParameters().Select(parameter => SampleValue(parameter.ParameterType, variant)).ToArray();
            return constructor.Invoke(arguments);
        }

        throw new InvalidOperationException($"No sample value for {unwrapped}; add a case to {nameof(SampleValue)}.");
    }

    /// <summary>Returns a separate instance equal in content to <paramref name="value"/>: a new string, array or record.</summary>
    private static object CopyOf(Type type, object value)
    {
        if (value is string text)
        {
            return new string(text.AsSpan());
        }

        if (IsEquatableArray(type))
        {
            var elementType = type.GetGenericArguments()[0];
            var source = ((IEnumerable)value).Cast<object>().ToList();
            var items = Array.CreateInstance(elementType, source.Count);
            for (int i = 0; i < source.Count; i++)
            {
                items.SetValue(CopyOf(elementType, source[i]), i);
            }

            return Activator.CreateInstance(type, new object[] { items })!;
        }

        if (IsRecord(type) && !type.IsValueType)
        {
            object copy = Clone(value);
            foreach (var field in StoredFields(type))
            {
                object? member = field.GetValue(value);
                field.SetValue(copy, member is null ? null : CopyOf(Unwrap(field.FieldType), member));
            }

            return copy;
        }

        // Numbers, enums and Roslyn's text structs are values already.
        return value;
    }

    private static object Clone(object record) =>
        record.GetType().GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance)!.Invoke(record, null)!;

    /// <summary>Instance fields of a record, which are the backing fields of its properties and any declared fields.</summary>
    private static IEnumerable<FieldInfo> StoredFields(Type record) =>
        record.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);

    private static bool CanHold(Type memberType, Type forbidden) =>
        forbidden.IsAssignableFrom(memberType)
        || memberType == typeof(object)
        || (memberType.IsInterface && memberType.IsAssignableFrom(forbidden));

    private static IEnumerable<Type> ModelTypes() =>
        GeneratorAssembly.GetTypes().Where(type => type.Namespace == ModelNamespace && !IsCompilerGenerated(type));

    /// <summary>The model types and every generator type that their fields and properties reach.</summary>
    private static List<Type> ReachableTypes()
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(ModelTypes().Select(Unwrap));
        while (pending.Count > 0)
        {
            var type = pending.Dequeue();
            if (type.IsGenericParameter || !seen.Add(type) || type.Assembly != GeneratorAssembly)
            {
                continue;
            }

            foreach (var (_, memberType) in DeclaredMembers(type))
            {
                foreach (var part in Parts(memberType))
                {
                    pending.Enqueue(part);
                }
            }
        }

        return seen.Where(type => type.Assembly == GeneratorAssembly && !type.IsGenericParameter).ToList();
    }

    /// <summary>Every field and property of every reachable generator type, with its declared type.</summary>
    private static List<(string Member, Type Type)> ReachableMembers() =>
        ReachableTypes().SelectMany(DeclaredMembers).ToList();

    private static IEnumerable<(string Member, Type Type)> DeclaredMembers(Type type)
    {
        const BindingFlags Flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        if (type.IsEnum || (type.IsAbstract && type.IsSealed))
        {
            // Enum members are constants of the enum itself, and a static class has no instance data.
            yield break;
        }

        foreach (var field in type.GetFields(Flags))
        {
            // EquatableArray<T> stores its elements in a T[] and compares them element by element, so that field is exempt.
            bool equatableArrayStorage = IsEquatableArray(type) && field.FieldType.IsArray;
            if (!IsCompilerGenerated(field) && !equatableArrayStorage)
            {
                yield return ($"{type.Name}.{field.Name}", field.FieldType);
            }
        }

        foreach (var property in type.GetProperties(Flags))
        {
            // A record's EqualityContract returns its own Type and stores no data.
            bool equalityContract = property.Name == "EqualityContract" && property.PropertyType == typeof(Type);
            bool stored = HasBackingField(type, property);
            if (!equalityContract && stored)
            {
                yield return ($"{type.Name}.{property.Name}", property.PropertyType);
            }
        }
    }

    /// <summary>True for a property stored in an auto-property backing field, the kind records declare.</summary>
    private static bool HasBackingField(Type type, PropertyInfo property) =>
        type.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic) is not null;

    /// <summary>The type itself or, for arrays, nullables and generic types, the types inside it.</summary>
    private static IEnumerable<Type> Parts(Type type)
    {
        var unwrapped = Unwrap(type);
        yield return unwrapped;
        if (unwrapped.IsArray)
        {
            foreach (var part in Parts(unwrapped.GetElementType()!))
            {
                yield return part;
            }
        }

        if (unwrapped.IsGenericType)
        {
            foreach (var argument in unwrapped.GetGenericArguments())
            {
                foreach (var part in Parts(argument))
                {
                    yield return part;
                }
            }
        }
    }

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static bool ComparesByValue(Type type)
    {
        var unwrapped = Unwrap(type);
        if (unwrapped.IsEnum || PlainTypes.Contains(unwrapped))
        {
            return true;
        }

        if (IsEquatableArray(unwrapped))
        {
            return unwrapped.IsGenericTypeDefinition || ComparesByValue(unwrapped.GetGenericArguments()[0]);
        }

        if (unwrapped.IsArray || typeof(IEnumerable).IsAssignableFrom(unwrapped))
        {
            // Arrays, lists and ImmutableArray<T> compare by reference, so the model must wrap them in EquatableArray<T>.
            return false;
        }

        return unwrapped.Assembly == GeneratorAssembly && unwrapped.Namespace == ModelNamespace && IsRecord(unwrapped);
    }

    private static bool IsEquatableArray(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == ModelNamespace + ".EquatableArray`1";

    /// <summary>True for a C# record class or record struct, both of which the compiler gives a PrintMembers method.</summary>
    private static bool IsRecord(Type type) =>
        type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, new[] { typeof(System.Text.StringBuilder) }) is not null;

    private static bool IsCompilerGenerated(MemberInfo member) =>
        member.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is not null;
}
