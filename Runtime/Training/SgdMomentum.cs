using System.Numerics;

namespace ModelCompiler.Training;

/// <summary>
/// Stochastic gradient descent with momentum and L2 weight decay, with the update rule of PyTorch's
/// <c>torch.optim.SGD</c> (dampening 0, no Nesterov momentum).
/// </summary>
/// <remarks>
/// Each <see cref="Step"/> computes, element by element, g = gradient + weightDecay x p, then
/// v = momentum x v + g (v = g on the first step), then p = p - learningRate x v.
/// One instance updates one parameter buffer: the velocity v is allocated on the first step with that buffer's
/// length, and later steps reuse it without allocating. Instances are not thread-safe.
/// </remarks>
public sealed class SgdMomentum
{
    private float _learningRate;
    private float[]? _velocity;

    /// <summary>Creates an optimizer. The velocity buffer is allocated by the first <see cref="Step"/>.</summary>
    /// <param name="learningRate">Step size, finite and not negative.</param>
    /// <param name="momentum">Momentum factor, finite and not negative. 0 gives plain SGD without a velocity buffer.</param>
    /// <param name="weightDecay">L2 penalty factor added to the gradient, finite and not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative, infinite or NaN.</exception>
    public SgdMomentum(float learningRate, float momentum = 0.9f, float weightDecay = 0f)
    {
        ValidateNonNegative(learningRate, nameof(learningRate));
        ValidateNonNegative(momentum, nameof(momentum));
        ValidateNonNegative(weightDecay, nameof(weightDecay));

        _learningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
    }

    /// <summary>Step size used by the next <see cref="Step"/>. A learning-rate schedule sets it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            ValidateNonNegative(value, nameof(value));
            _learningRate = value;
        }
    }

    /// <summary>Momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>L2 penalty factor.</summary>
    public float WeightDecay { get; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The two spans differ in length, or the length differs from the one of the first step.
    /// </exception>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException(
                $"parameters has {parameters.Length} values but gradients has {gradients.Length}; they must match.",
                nameof(gradients));
        }

        if (Momentum == 0f)
        {
            StepWithoutMomentum(parameters, gradients);
            return;
        }

        if (_velocity is null)
        {
            _velocity = new float[parameters.Length];
            FirstStep(parameters, gradients, _velocity);
            return;
        }

        if (_velocity.Length != parameters.Length)
        {
            throw new ArgumentException(
                $"parameters has {parameters.Length} values, but this optimizer's velocity was allocated for " +
                $"{_velocity.Length} on the first step. Use one optimizer per parameter buffer.",
                nameof(parameters));
        }

        MomentumStep(parameters, gradients, _velocity);
    }

    private void StepWithoutMomentum(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        float learningRate = _learningRate;
        float weightDecay = WeightDecay;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var learningRateVector = new Vector<float>(learningRate);
            var weightDecayVector = new Vector<float>(weightDecay);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var p = new Vector<float>(parameters.Slice(i));
                var g = new Vector<float>(gradients.Slice(i)) + weightDecayVector * p;
                (p - learningRateVector * g).CopyTo(parameters.Slice(i));
            }
        }

        for (; i < parameters.Length; i++)
        {
            float g = gradients[i] + weightDecay * parameters[i];
            parameters[i] -= learningRate * g;
        }
    }

    // PyTorch initializes the momentum buffer to the first (decayed) gradient instead of multiplying a zero buffer.
    private void FirstStep(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity)
    {
        float learningRate = _learningRate;
        float weightDecay = WeightDecay;
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i] + weightDecay * parameters[i];
            velocity[i] = g;
            parameters[i] -= learningRate * g;
        }
    }

    private void MomentumStep(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity)
    {
        float learningRate = _learningRate;
        float momentum = Momentum;
        float weightDecay = WeightDecay;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var learningRateVector = new Vector<float>(learningRate);
            var momentumVector = new Vector<float>(momentum);
            var weightDecayVector = new Vector<float>(weightDecay);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var p = new Vector<float>(parameters.Slice(i));
                var g = new Vector<float>(gradients.Slice(i)) + weightDecayVector * p;
                var v = momentumVector * new Vector<float>(velocity.Slice(i)) + g;
                v.CopyTo(velocity.Slice(i));
                (p - learningRateVector * v).CopyTo(parameters.Slice(i));
            }
        }

        for (; i < parameters.Length; i++)
        {
            float g = gradients[i] + weightDecay * parameters[i];
            float v = momentum * velocity[i] + g;
            velocity[i] = v;
            parameters[i] -= learningRate * v;
        }
    }

    private static void ValidateNonNegative(float value, string parameterName)
    {
        if (!float.IsFinite(value) || value < 0f)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "Expected a finite value of at least 0.");
        }
    }
}
