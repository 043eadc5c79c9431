#pragma once
// A small multilayer perceptron with a hand-written backward pass, for the neural estimators.
// Parameters live in one flat array owned by the caller (a critic holds one array for all its
// networks, so Adam sees a single vector); an MlpLayout only knows where each layer's weights
// and biases are in it. Rows are samples. Every sum runs in a fixed order (kernels.hpp), so
// a forward or backward pass gives the same bits on every machine and thread count.

#include <string>
#include <vector>

#include "core/rng.hpp"
#include "estimators/neural/kernels.hpp"

namespace mib::neural {

/// Layer l maps width(l) inputs to width(l + 1) outputs; every layer but the last is followed
/// by the activation. Weights are stored transposed (in × out, row-major) then the biases.
class MlpLayout {
 public:
  MlpLayout() = default;
  /// widths = {inputs, hidden..., outputs}, each >= 1; offset = where its parameters start.
  MlpLayout(std::vector<int> widths, Activation activation, std::size_t offset);

  int layers() const { return static_cast<int>(widths_.size()) - 1; }
  int width(int l) const { return widths_[static_cast<std::size_t>(l)]; }
  const std::vector<int>& widths() const { return widths_; }
  Activation activation() const { return activation_; }
  std::size_t offset() const { return offset_; }
  std::size_t size() const { return size_; }  ///< number of parameters
  std::size_t weights(int l) const { return starts_[static_cast<std::size_t>(l)]; }
  std::size_t biases(int l) const {
    return weights(l) + static_cast<std::size_t>(width(l)) * static_cast<std::size_t>(width(l + 1));
  }

  /// PyTorch's and Equinox's default initialisation: every weight and bias of layer l uniform
  /// on ±1/√width(l), drawn in storage order with Boost.Random.
  template <class T>
  void initialise(T* params, Rng& rng) const;

  /// Activations of every layer for a batch, kept for the backward pass:
  /// values[l] is n × width(l) (values[0] the input, values[layers()] the output).
  template <class T>
  struct Cache {
    int n = 0;
    std::vector<std::vector<T>> values;
    const T* output() const { return values.back().data(); }
  };

  /// Forward pass of n rows of `input` (n × width(0), row-major).
  template <class T>
  void forward(const T* params, const T* input, int n, Cache<T>& cache) const;
  /// Backward pass: adds ∂L/∂θ to grad (flat, same layout as params) given d_output =
  /// ∂L/∂output (n × outputs). If d_input is not null it receives ∂L/∂input (n × inputs).
  template <class T>
  void backward(const T* params, const Cache<T>& cache, const T* d_output, T* grad,
                T* d_input = nullptr) const;

 private:
  std::vector<int> widths_;
  Activation activation_ = Activation::kRelu;
  std::size_t offset_ = 0, size_ = 0;
  std::vector<std::size_t> starts_;
};

}  // namespace mib::neural
