<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ContextPanel</name>
    <message>
        <source>
&lt;p&gt;The &lt;b&gt;context&lt;/b&gt; of a pixel is the set of earlier pixels its conditional
p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;) can actually use. A &lt;b&gt;Row LSTM&lt;/b&gt; reads
three hidden states of the row above, which read three of theirs: its context is
a &lt;b&gt;triangle&lt;/b&gt; above the pixel, not the whole past. A &lt;b&gt;Diagonal BiLSTM&lt;/b&gt;
sweeps the diagonals in both directions (the right-to-left sweep shifted down a
row): every earlier pixel, in one layer. Stacked masked 3×3 convolutions
(&lt;b&gt;PixelCNN&lt;/b&gt;) grow up and to the left but never reach a wedge above and to
the right — the &lt;b&gt;blind spot&lt;/b&gt;, which grows with depth; &lt;b&gt;Gated
PixelCNN&lt;/b&gt;&apos;s vertical and horizontal stacks remove it. &lt;i&gt;Theoretical&lt;/i&gt;:
derived from the architecture. &lt;i&gt;Measured&lt;/i&gt;: the non-zero gradient of the
output with respect to the input, on the real network.&lt;/p&gt;</source>
        <translation>
&lt;p&gt;한 픽셀의 &lt;b&gt;문맥(context)&lt;/b&gt;은 그 조건부 분포 p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)가
실제로 쓸 수 있는 이전 픽셀들의 집합입니다. &lt;b&gt;Row LSTM&lt;/b&gt;은 위 행의 은닉 상태 세 개를 읽고,
그 상태들은 다시 자기 위의 세 개를 읽습니다. 그래서 문맥은 과거 전체가 아니라 픽셀 위의
&lt;b&gt;삼각형&lt;/b&gt;입니다. &lt;b&gt;Diagonal BiLSTM&lt;/b&gt;은 대각선을 양방향으로 훑으므로(오른쪽에서 왼쪽으로
훑는 쪽은 한 행 아래로 밀어서) 층 하나로 모든 이전 픽셀을 봅니다. 마스크를 씌운 3×3 합성곱을
쌓은 &lt;b&gt;PixelCNN&lt;/b&gt;은 위쪽과 왼쪽으로 자라지만 오른쪽 위의 쐐기 모양 영역에는 닿지 못합니다.
이것이 깊이에 따라 커지는 &lt;b&gt;맹점(blind spot)&lt;/b&gt;이며, &lt;b&gt;Gated PixelCNN&lt;/b&gt;의 수직·수평 스택이
이를 없앱니다. &lt;i&gt;이론적&lt;/i&gt;: 구조에서 유도한 문맥. &lt;i&gt;측정값&lt;/i&gt;: 실제 신경망에서 입력에 대한
출력의 0이 아닌 기울기.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Row LSTM vs Diagonal BiLSTM</source>
        <translation>Row LSTM 대 Diagonal BiLSTM</translation>
    </message>
    <message>
        <source>PixelCNN vs Gated PixelCNN</source>
        <translation>PixelCNN 대 Gated PixelCNN</translation>
    </message>
    <message>
        <source>The current model (trained weights)</source>
        <extracomment>The third choice: the library&apos;s current model, with its trained weights.</extracomment>
        <translation>현재 모델 (학습된 가중치)</translation>
    </message>
    <message>
        <source>&lt;b&gt;{title}&lt;/b&gt; — {name} ({ordering} order)</source>
        <extracomment>How long the depth, size and kernel must rest before the work starts (ms).</extracomment>
        <translation>&lt;b&gt;{title}&lt;/b&gt; — {name} ({ordering} 순서)</translation>
    </message>
    <message>
        <source>could not measure the context: {kind}: {error}</source>
        <translation>문맥을 측정할 수 없습니다: {kind}: {error}</translation>
    </message>
    <message>
        <source>&lt;b&gt;No current model&lt;/b&gt; — choose one in the library</source>
        <translation>&lt;b&gt;현재 모델 없음&lt;/b&gt; — 라이브러리에서 고르십시오</translation>
    </message>
    <message>
        <source>{n} layer</source>
        <translation>{n}개 층</translation>
    </message>
    <message>
        <source>{n} layers</source>
        <translation>{n}개 층</translation>
    </message>
    <message>
        <source>row {row}, column {column}</source>
        <translation>{row}행 {column}열</translation>
    </message>
    <message>
        <source>Context regions: what can a pixel see?</source>
        <extracomment>The choices of :attr:`pair_box`, in English (its items translate them). The pair&apos;s depth while the slider shows the current model&apos;s. The networks last shown, and what they were built for. The title of a current model whose context is on its way. Choices the window remembers between sessions.</extracomment>
        <translation>문맥 영역: 픽셀은 무엇을 볼 수 있을까?</translation>
    </message>
    <message>
        <source>Two architectures side by side (random weights, any depth), or the current model of the library as trained</source>
        <translation>두 구조를 나란히(무작위 가중치, 임의의 깊이), 또는 라이브러리의 현재 모델을 학습된 그대로</translation>
    </message>
    <message>
        <source>measuring the context …</source>
        <translation>문맥 측정 중 …</translation>
    </message>
    <message>
        <source>measured by autograd</source>
        <translation>autograd로 측정됨</translation>
    </message>
    <message>
        <source>theoretical only</source>
        <translation>이론상으로만</translation>
    </message>
    <message>
        <source>earlier but out of reach</source>
        <translation>이전이지만 닿지 않음</translation>
    </message>
    <message>
        <source>future (a violation)</source>
        <translation>미래 (위반)</translation>
    </message>
    <message>
        <source>not yet generated</source>
        <translation>아직 생성되지 않음</translation>
    </message>
    <message>
        <source>compare</source>
        <translation>비교</translation>
    </message>
    <message>
        <source>image</source>
        <translation>이미지</translation>
    </message>
    <message>
        <source>first kernel</source>
        <translation>첫 커널</translation>
    </message>
    <message>
        <source>layers</source>
        <translation>층 수</translation>
    </message>
    <message>
        <source>Number of layers (LSTM layers, residual blocks, gated layers)</source>
        <translation>층 수 (LSTM 층, 잔차 블록, 게이트 층)</translation>
    </message>
    <message>
        <source>Image size (square)</source>
        <translation>이미지 크기 (정사각형)</translation>
    </message>
    <message>
        <source>Size of the first, mask-A convolution</source>
        <translation>첫 번째(마스크 A) 합성곱의 크기</translation>
    </message>
    <message>
        <source>Fixed by the current model as trained; compare a pair to vary it</source>
        <translation>현재 모델이 학습된 그대로 고정되어 있습니다. 바꾸려면 한 쌍을 비교하십시오</translation>
    </message>
    <message>
        <source>No current model: choose one in the library</source>
        <translation>현재 모델이 없습니다. 라이브러리에서 고르십시오</translation>
    </message>
    <message>
        <source>{title} has no stacked layers: there is no depth to vary. Compare a pair of architectures to see the context grow with depth.</source>
        <translation>{title}에는 쌓인 층이 없어 바꿀 깊이가 없습니다. 깊이에 따라 문맥이 자라는 모습을 보려면 두 구조를 비교하십시오.</translation>
    </message>
    <message>
        <source>no layers</source>
        <translation>층 없음</translation>
    </message>
    <message>
        <source>{title} was trained with {layers}; its depth is fixed. Compare a pair of architectures to vary the depth.</source>
        <translation>{title}은(는) {layers}으로 학습되어 깊이가 고정되어 있습니다. 깊이를 바꾸려면 두 구조를 비교하십시오.</translation>
    </message>
    <message>
        <source>{layers} (as trained)</source>
        <translation>{layers} (학습된 그대로)</translation>
    </message>
    <message>
        <source>context of the pixel at {where}</source>
        <translation>{where} 픽셀의 문맥</translation>
    </message>
</context>
<context>
    <name>ContextView</name>
    <message>
        <source>{name}: click a pixel to see its context</source>
        <extracomment>The title as given: a marked template and its values (None: the name). A message in place of the numbers (a marked template and values).</extracomment>
        <translation>{name}: 픽셀을 누르면 그 문맥을 봅니다</translation>
    </message>
    <message>
        <source>{where}: a FUTURE pixel the output depends on</source>
        <translation>{where}: 출력이 의존하는 미래 픽셀</translation>
    </message>
    <message>
        <source>{where}: in the context (measured by autograd)</source>
        <translation>{where}: 문맥 안 (autograd로 측정됨)</translation>
    </message>
    <message>
        <source>{where}: in the theoretical context, not reached by the measurement</source>
        <translation>{where}: 이론적 문맥 안, 측정에서는 닿지 않음</translation>
    </message>
    <message>
        <source>{where}: earlier, but out of reach</source>
        <translation>{where}: 이전 픽셀이지만 닿지 않음</translation>
    </message>
    <message>
        <source>{where}: not generated yet</source>
        <translation>{where}: 아직 생성되지 않음</translation>
    </message>
    <message>
        <source>sees {seen} of {past} earlier pixels ({measured} measured)</source>
        <translation>이전 픽셀 {past}개 중 {seen}개를 봄 ({measured}개 측정됨)</translation>
    </message>
    <message>
        <source>; misses {count}</source>
        <translation>; {count}개를 놓침</translation>
    </message>
    <message>
        <source>, {count} of them in a blind spot</source>
        <translation>, 그중 {count}개는 맹점 안</translation>
    </message>
    <message>
        <source>{count} FUTURE</source>
        <translation>미래 {count}개</translation>
    </message>
</context>
</TS>
