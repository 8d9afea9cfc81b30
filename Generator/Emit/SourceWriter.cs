using System;
using System.Text;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Builds C# text with four-space indentation and disposable brace blocks.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _text = new StringBuilder();
        private int _depth;

        public SourceWriter Line(string line = "")
        {
            if (line.Length > 0)
            {
                _text.Append(' ', _depth * 4);
                _text.Append(line);
            }

            _text.Append('\n');
            return this;
        }

        /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned block is disposed.</summary>
        public IDisposable Block(string header)
        {
            Line(header);
            Line("{");
            _depth++;
            return new Closer(this);
        }

        public override string ToString() => _text.ToString();

        private sealed class Closer : IDisposable
        {
            private readonly SourceWriter _writer;

            public Closer(SourceWriter writer) => _writer = writer;

            public void Dispose()
            {
                _writer._depth--;
                _writer.Line("}");
            }
        }
    }
}
