using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelCompiler.CodeFixes
{
    /// <summary>
    /// Applies one suggested setting to the named arguments of a Conv2D, MaxPool2D or AvgPool2D attribute so that the
    /// layer gets exactly the geometry the generator's suggestion was computed for. Arguments the change does not
    /// concern keep their text, order and trivia.
    /// </summary>
    internal sealed class WindowArgumentEditor
    {
        private readonly List<AttributeArgumentSyntax> _arguments;

        /// <summary>The commas of the argument list; entry i follows argument i.</summary>
        private readonly List<SyntaxToken> _separators;

        private WindowArgumentEditor(AttributeSyntax attribute)
        {
            var arguments = attribute.ArgumentList?.Arguments ?? default;
            _arguments = arguments.ToList();
            _separators = arguments.GetSeparators().ToList();
        }

        /// <summary>
        /// Returns <paramref name="attribute"/> with <paramref name="setting"/> applied, and a description of every
        /// argument set, such as "Size = 3 and Stride = 2". Returns null when the setting cannot be applied.
        /// </summary>
        /// <param name="strideFollowsKernel">
        /// True for pooling layers, whose stride defaults to the window size. A new window size then also writes
        /// the stride it had, because the generator's suggestion keeps the stride unchanged.
        /// </param>
        public static (AttributeSyntax Attribute, string Description)? Apply(AttributeSyntax attribute, SuggestedSetting setting, bool strideFollowsKernel)
        {
            if (!WindowSetting.TryFind(setting.Name, out var quantity, out var dimension))
            {
                return null;
            }

            var editor = new WindowArgumentEditor(attribute);
            var pinnedStrides = new List<(string Name, ExpressionSyntax Value)>();
            if (strideFollowsKernel && quantity == WindowSetting.Kernel && !editor.TryFindUnwrittenStrides(dimension, pinnedStrides))
            {
                return null;
            }

            editor.Set(quantity, dimension, Literal(setting.Value));
            foreach (var (name, value) in pinnedStrides)
            {
                editor.Set(name, value);
            }

            var descriptions = new List<string> { setting.ToString() };
            descriptions.AddRange(pinnedStrides.Select(stride => stride.Name + " = " + stride.Value));
            return (editor.ApplyTo(attribute), JoinAsList(descriptions));
        }

        /// <summary>
        /// Collects, for each dimension that a new window size changes, the stride that currently follows the window
        /// size because no stride argument is written for it. Returns false when the current window size of such a
        /// dimension is not written either.
        /// </summary>
        private bool TryFindUnwrittenStrides(WindowDimension dimension, List<(string Name, ExpressionSyntax Value)> strides)
        {
            var dimensions = dimension == WindowDimension.Both
                ? new[] { WindowDimension.Height, WindowDimension.Width }
                : new[] { dimension };
            var unwritten = dimensions
                .Where(d => IndexOf(WindowSetting.Stride.Square) < 0 && IndexOf(WindowSetting.Stride.NameOf(d)) < 0)
                .ToList();
            if (unwritten.Count == 2 && ValueOf(WindowSetting.Kernel.Square) is { } squareSize)
            {
                strides.Add((WindowSetting.Stride.Square, squareSize));
                return true;
            }

            foreach (var d in unwritten)
            {
                var size = ValueOf(WindowSetting.Kernel.NameOf(d)) ?? ValueOf(WindowSetting.Kernel.Square);
                if (size is null)
                {
                    return false;
                }

                strides.Add((WindowSetting.Stride.NameOf(d), size));
            }

            return true;
        }

        /// <summary>
        /// Sets one form of a quantity. A square value replaces the per-dimension arguments. A per-dimension value
        /// next to a written square argument splits it: the square argument becomes the other dimension's argument
        /// with the same value.
        /// </summary>
        private void Set(WindowSetting quantity, WindowDimension dimension, ExpressionSyntax value)
        {
            if (dimension == WindowDimension.Both)
            {
                Remove(quantity.Height);
                Remove(quantity.Width);
                Set(quantity.Square, value);
                return;
            }

            int square = IndexOf(quantity.Square);
            if (square < 0)
            {
                Set(quantity.NameOf(dimension), value);
                return;
            }

            var other = dimension == WindowDimension.Height ? WindowDimension.Width : WindowDimension.Height;
            Rename(square, quantity.NameOf(other));
            InsertAfter(square, NewArgument(quantity.NameOf(dimension), value));
        }

        /// <summary>Replaces the value of the argument <paramref name="name"/>, or appends the argument when it is not written.</summary>
        private void Set(string name, ExpressionSyntax value)
        {
            int index = IndexOf(name);
            if (index >= 0)
            {
                _arguments[index] = _arguments[index].WithExpression(value.WithTriviaFrom(_arguments[index].Expression));
                return;
            }

            var argument = NewArgument(name, value);
            if (_arguments.Count == 0)
            {
                _arguments.Add(argument);
                return;
            }

            // A line break after the last argument stays before the closing parenthesis.
            int last = _arguments.Count - 1;
            argument = argument.WithTrailingTrivia(_arguments[last].GetTrailingTrivia());
            _arguments[last] = _arguments[last].WithoutTrailingTrivia();
            InsertAfter(last, argument);
        }

        private void Remove(string name)
        {
            int index = IndexOf(name);
            if (index < 0)
            {
                return;
            }

            _arguments.RemoveAt(index);
            if (index < _separators.Count)
            {
                _separators.RemoveAt(index);
            }
            else if (index > 0)
            {
                _separators.RemoveAt(index - 1);
            }
        }

        private void Rename(int index, string name)
        {
            var nameEquals = _arguments[index].NameEquals!;
            _arguments[index] = _arguments[index].WithNameEquals(nameEquals.WithName(SyntaxFactory.IdentifierName(name).WithTriviaFrom(nameEquals.Name)));
        }

        private void InsertAfter(int index, AttributeArgumentSyntax argument)
        {
            _arguments.Insert(index + 1, argument);
            _separators.Insert(index, SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        }

        private int IndexOf(string name) =>
            _arguments.FindIndex(argument => argument.NameEquals?.Name.Identifier.ValueText == name);

        private ExpressionSyntax? ValueOf(string name)
        {
            int index = IndexOf(name);
            return index < 0 ? null : _arguments[index].Expression.WithoutTrivia();
        }

        private AttributeSyntax ApplyTo(AttributeSyntax attribute)
        {
            var list = SyntaxFactory.SeparatedList(_arguments, _separators);
            return attribute.WithArgumentList((attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList()).WithArguments(list));
        }

        private static AttributeArgumentSyntax NewArgument(string name, ExpressionSyntax value) =>
            SyntaxFactory.AttributeArgument(
                SyntaxFactory.NameEquals(
                    SyntaxFactory.IdentifierName(name).WithTrailingTrivia(SyntaxFactory.Space),
                    SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space)),
                nameColon: null,
                value.WithoutTrivia());

        private static ExpressionSyntax Literal(int value) =>
            SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));

        /// <summary>Joins "a", "a and b", "a, b and c".</summary>
        private static string JoinAsList(IReadOnlyList<string> items) =>
            items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
    }
}
