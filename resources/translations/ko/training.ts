<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>CompareOrderingsDialog</name>
    <message>
        <source>Check the orderings, then Start.</source>
        <extracomment>The most seeds per ordering the window offers. What the dialog trains: the settings, the data, and both in words. The series colours but grey, which the legend gives &quot;training loss&quot;. Each run&apos;s (training-loss, validation) curves, by the run&apos;s label (its ordering, and its seed when there are several). Each run&apos;s label and ordering, by its index in the study. The finished runs of the current comparison, in order. What the comparison trains, in words (None: nothing started yet). Renders the status line in the language of the moment.</extracomment>
        <translation>비교할 순서를 고른 다음 「시작」을 누르십시오.</translation>
    </message>
    <message>
        <source>Compare orderings</source>
        <translation>픽셀 순서 비교</translation>
    </message>
    <message>
        <source>Orderings to compare:</source>
        <translation>비교할 순서:</translation>
    </message>
    <message>
        <source>Each checked ordering is trained in turn, in this order</source>
        <translation>선택한 순서마다 이 목록의 차례대로 한 번씩 학습합니다</translation>
    </message>
    <message>
        <source>seeds each</source>
        <translation>순서마다 시드 수</translation>
    </message>
    <message>
        <source>Train each ordering with the form&apos;s seed, seed + 1, …: the spread between seeds shows which differences are more than chance</source>
        <translation>각 순서를 입력란의 시드, 시드 + 1, …로 학습합니다. 시드 사이의 편차를 보면 어떤 차이가 우연 이상인지 알 수 있습니다</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Train the training monitor&apos;s model and data under each checked ordering, one after another (nothing is saved to the library)</source>
        <translation>학습 모니터의 모델과 데이터를 선택한 순서마다 차례로 학습합니다(라이브러리에는 아무것도 저장하지 않습니다)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Stop the current run before its next batch; start no other</source>
        <translation>현재 실행을 다음 배치 전에 멈추고, 다른 실행은 시작하지 않습니다</translation>
    </message>
    <message>
        <source>Progress of the whole comparison</source>
        <translation>비교 전체의 진행 상황</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>에폭</translation>
    </message>
    <message>
        <source>NLL (nats)</source>
        <translation>NLL (nats)</translation>
    </message>
    <message>
        <source>Each ordering in its colour: training loss (solid) and validation NLL (dashed, a dot per epoch), in nats per image</source>
        <translation>순서마다 고유한 색으로 그립니다: 학습 손실(실선)과 검증 NLL(점선, 에폭마다 점 하나), 이미지당 nats 단위</translation>
    </message>
    <message>
        <source>ordering</source>
        <translation>순서</translation>
    </message>
    <message>
        <source>best valid NLL</source>
        <translation>최저 검증 NLL</translation>
    </message>
    <message>
        <source>time</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>vs raster</source>
        <translation>래스터 대비</translation>
    </message>
    <message>
        <source>One row per finished run, best first: its lowest validation NLL (nats per image), the epoch it came at, the training time, and the difference from raster&apos;s</source>
        <translation>끝난 실행마다 한 행이며 좋은 것부터 나열합니다: 가장 낮은 검증 NLL(이미지당 nats), 그 값이 나온 에폭, 학습 시간, 래스터와의 차이</translation>
    </message>
    <message>
        <source>Trains the model, data and settings of the training monitor&apos;s form under each ordering checked, one after another.</source>
        <translation>학습 모니터 입력란의 모델, 데이터, 설정으로 선택한 순서마다 차례로 학습합니다.</translation>
    </message>
    <message>
        <source>{ordering}, seed {seed}</source>
        <translation>{ordering}, 시드 {seed}</translation>
    </message>
    <message>
        <source>Cannot compare: {problem}</source>
        <translation>비교할 수 없습니다: {problem}</translation>
    </message>
    <message>
        <source>Cannot compare orderings</source>
        <translation>순서를 비교할 수 없습니다</translation>
    </message>
    <message>
        <source>starting …</source>
        <translation>시작하는 중 …</translation>
    </message>
    <message>
        <source>stopping before the next batch …</source>
        <translation>다음 배치 전에 멈추는 중 …</translation>
    </message>
    <message>
        <source>Failed: {problem}</source>
        <translation>실패했습니다: {problem}</translation>
    </message>
    <message>
        <source>Comparing orderings failed</source>
        <translation>순서 비교에 실패했습니다</translation>
    </message>
    <message>
        <source>run {i} of {n}: {ordering} …</source>
        <translation>실행 {i}/{n}: {ordering} …</translation>
    </message>
    <message>
        <source>run {i} of {n}: {ordering} · epoch {epoch} of {epochs} · batch {step} of {steps} · loss {loss:.2f} nats</source>
        <translation>실행 {i}/{n}: {ordering} · 에폭 {epoch}/{epochs} · 배치 {step}/{steps} · 손실 {loss:.2f} nats</translation>
    </message>
    <message>
        <source>Done: {n} orderings compared, {k} seeds each.</source>
        <translation>완료: 순서 {n}개를 각각 시드 {k}개로 비교했습니다.</translation>
    </message>
    <message>
        <source>Done: {n} orderings compared.</source>
        <translation>완료: 순서 {n}개를 비교했습니다.</translation>
    </message>
    <message>
        <source>Stopped after {n} of {total} runs.</source>
        <translation>실행 {total}개 중 {n}개를 마치고 멈췄습니다.</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>학습 손실</translation>
    </message>
    <message>
        <source>validation NLL</source>
        <translation>검증 NLL</translation>
    </message>
    <message>
        <source> (stopped)</source>
        <translation> (중지됨)</translation>
    </message>
    <message>
        <source>Mean ± sample standard deviation over seeds: a difference from raster smaller than the spread is not a difference.</source>
        <translation>시드에 대한 평균 ± 표본 표준편차입니다: 래스터와의 차이가 편차보다 작으면 차이라고 할 수 없습니다.</translation>
    </message>
    <message>
        <source>One seed each: weigh a difference against the spread between seeds (more seeds each, or the orderings panel).</source>
        <translation>순서마다 시드 하나뿐입니다: 차이는 시드 사이의 편차와 견주어 판단하십시오(순서마다 시드를 늘리거나, 픽셀 순서 패널을 보십시오).</translation>
    </message>
    <message>
        <source>{seconds:.1f} s</source>
        <translation>{seconds:.1f}초</translation>
    </message>
    <message>
        <source>{minutes} min {seconds:02d} s</source>
        <translation>{minutes}분 {seconds:02d}초</translation>
    </message>
    <message>
        <source>{title} ({shown}) on {data}: {epochs} epochs, batch {batch}, lr {lr}, seed {seed}, at most {most} batches per epoch.</source>
        <translation>{title} ({shown}), 데이터 {data}: {epochs} 에폭, 배치 {batch}, 학습률 {lr}, 시드 {seed}, 에폭당 최대 {most} 배치.</translation>
    </message>
    <message>
        <source>{title} ({shown}) on {data}: {epochs} epochs, batch {batch}, lr {lr}, seed {seed}.</source>
        <translation>{title} ({shown}), 데이터 {data}: {epochs} 에폭, 배치 {batch}, 학습률 {lr}, 시드 {seed}.</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>
&lt;p&gt;Training maximises the exact log-likelihood: minimise the average
−log p(x) = −Σ&lt;sub&gt;i&lt;/sub&gt; log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;) over the
training digits with Adam. &lt;b&gt;Teacher forcing&lt;/b&gt; makes this one pass per batch:
every conditional sees the true earlier pixels, so all n terms are computed at
once. The &lt;b&gt;validation NLL&lt;/b&gt; (held-out digits, nats per image, or bits per
pixel) is the honest measure; the dashed lines are published results on the
standard binarized MNIST, named at the right.&lt;/p&gt;</source>
        <translation>
&lt;p&gt;학습은 정확한 로그 우도(log-likelihood)를 최대화하는 일입니다: 학습용 숫자에 대해
평균 −log p(x) = −Σ&lt;sub&gt;i&lt;/sub&gt; log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)를 Adam으로
최소화합니다. &lt;b&gt;교사 강요(teacher forcing)&lt;/b&gt; 덕분에 배치마다 한 번의 계산으로 충분합니다:
모든 조건부 분포가 실제 앞선 픽셀을 보므로 n개의 항을 한꺼번에 계산합니다.
&lt;b&gt;검증 NLL&lt;/b&gt;(학습에 쓰지 않은 숫자, 이미지당 nats 또는 픽셀당 bits)이 정직한 척도입니다.
점선은 표준 이진화 MNIST에서 발표된 결과이며, 오른쪽에 이름이 있습니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>binary (Bernoulli)</source>
        <extracomment>Data sets offered by name: those here without a download (full MNIST is left out, Fashion-MNIST is in when its system package or a copy is found). What each likelihood&apos;s entry in the form says.</extracomment>
        <translation>이진 (베르누이)</translation>
    </message>
    <message>
        <source>K levels (softmax)</source>
        <translation>K단계 (softmax)</translation>
    </message>
    <message>
        <source>logistic mixture</source>
        <translation>로지스틱 혼합</translation>
    </message>
    <message>
        <source>Gaussian mixture</source>
        <translation>가우스 혼합</translation>
    </message>
    <message>
        <source>A Bernoulli pixel; its parameter is the logit of p(x_i = 1).</source>
        <extracomment>The first lines of the likelihoods&apos; docstrings (each entry&apos;s tooltip), marked so the window can show them translated.</extracomment>
        <translation>베르누이 픽셀입니다. 매개변수는 p(x_i = 1)의 로짓입니다.</translation>
    </message>
    <message>
        <source>A K-way categorical pixel; its parameters are K logits.</source>
        <translation>K가지 값을 갖는 범주형 픽셀입니다. 매개변수는 로짓 K개입니다.</translation>
    </message>
    <message>
        <source>A discretized mixture of M logistics over K levels.</source>
        <translation>K단계 위의 로지스틱 M개의 이산화된 혼합입니다.</translation>
    </message>
    <message>
        <source>A mixture of M Gaussians truncated to [0, 1].</source>
        <translation>[0, 1]로 잘린 가우스 M개의 혼합입니다.</translation>
    </message>
    <message>
        <source>threshold</source>
        <extracomment>What each binarization&apos;s entry says.</extracomment>
        <translation>임계값</translation>
    </message>
    <message>
        <source>stochastic</source>
        <translation>확률적</translation>
    </message>
    <message>
        <source>dynamic</source>
        <translation>동적</translation>
    </message>
    <message>
        <source>mnist-5k</source>
        <extracomment>The built-in data sets&apos; names and descriptions (their entries&apos; texts and tooltips), marked so the window can show them translated; English shows the name and :data:`~models.data.BUILTIN_DATASETS`&apos; description as they are.</extracomment>
        <translation>mnist-5k (MNIST 숫자 5천 개)</translation>
    </message>
    <message>
        <source>mnist-10k</source>
        <translation>mnist-10k (MNIST 숫자 1만 개)</translation>
    </message>
    <message>
        <source>optdigits-drawn</source>
        <translation>optdigits-drawn (MNIST 밖의 손글씨)</translation>
    </message>
    <message>
        <source>mfeat-drawn</source>
        <translation>mfeat-drawn (MNIST 밖의 손글씨, 네덜란드 지도)</translation>
    </message>
    <message>
        <source>binarized-mnist</source>
        <translation>binarized-mnist (이진화 MNIST)</translation>
    </message>
    <message>
        <source>mnist</source>
        <translation>mnist (MNIST 전체)</translation>
    </message>
    <message>
        <source>mnist-full</source>
        <translation>mnist-full (레이블 있는 MNIST 전체)</translation>
    </message>
    <message>
        <source>fashion-mnist</source>
        <translation>fashion-mnist (의류 이미지)</translation>
    </message>
    <message>
        <source>5,000 MNIST digits bundled with the app (4,000 train / 1,000 test)</source>
        <translation>앱에 포함된 MNIST 숫자 5,000개 (학습 4,000 / 테스트 1,000)</translation>
    </message>
    <message>
        <source>10,000 MNIST digits bundled with the app (9,000 train / the 1,000 mnist-5k test)</source>
        <translation>앱에 포함된 MNIST 숫자 10,000개 (학습 9,000 / mnist-5k의 테스트 1,000)</translation>
    </message>
    <message>
        <source>1,797 digits by writers outside MNIST, drawn as binary 28×28 strokes (test only; held out)</source>
        <translation>MNIST 밖의 필기자가 쓴 숫자 1,797개를 이진 28×28 획으로 그린 것 (테스트 전용, 학습에서 제외)</translation>
    </message>
    <message>
        <source>2,000 digits from Dutch maps, outside MNIST, drawn as binary 28×28 strokes (test only; held out)</source>
        <translation>네덜란드 지도에서 가져온 MNIST 밖의 숫자 2,000개를 이진 28×28 획으로 그린 것 (테스트 전용, 학습에서 제외)</translation>
    </message>
    <message>
        <source>fixed binarized MNIST, 50k train / 10k valid (a file you have)</source>
        <translation>고정 이진화 MNIST, 학습 5만 / 검증 1만 (가지고 있는 파일)</translation>
    </message>
    <message>
        <source>full MNIST, 60k train / 10k test (needs torchvision)</source>
        <translation>MNIST 전체, 학습 6만 / 테스트 1만 (torchvision 필요)</translation>
    </message>
    <message>
        <source>full labelled MNIST less the mnist-5k held-out digits, 58,999 train / MNIST&apos;s 10k test (a file scripts/make_mnist_full.py makes)</source>
        <translation>레이블 있는 MNIST 전체에서 mnist-5k의 검증용 숫자를 뺀 것, 학습 58,999 / MNIST 테스트 1만 (scripts/make_mnist_full.py가 만드는 파일)</translation>
    </message>
    <message>
        <source>Fashion-MNIST, 60k train / 10k test grayscale clothes (the system package dataset-fashion-mnist)</source>
        <translation>Fashion-MNIST, 학습 6만 / 테스트 1만 회색조 의류 이미지 (시스템 패키지 dataset-fashion-mnist)</translation>
    </message>
    <message>
        <source>finished</source>
        <extracomment>How a run ended, in the words of the status bar.</extracomment>
        <translation>완료</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Each epoch, every training image gets a fresh random shift (up to {shift:g} px), rotation (±{rotate:g}°), scaling (±{scale:g} %), shear (±{shear:g}°) and thicker or thinner strokes, before binarization: more variety of pen, as handwriting on the canvas has.</source>
        <extracomment>Likelihoods whose parameters are a mixture of M components. The published results at 28×28 pixels (bits/dim divides by this). Points at which a run&apos;s curves stop following every report (older points are thinned), so a long run stays cheap to redraw.</extracomment>
        <translation>에폭마다 모든 학습 이미지에 새로운 무작위 이동(최대 {shift:g} px), 회전(±{rotate:g}°), 크기 변화(±{scale:g} %), 기울임(±{shear:g}°)과 더 굵거나 가는 획을 이진화 전에 적용합니다: 캔버스의 손글씨처럼 펜의 다양성이 커집니다.</translation>
    </message>
    <message>
        <source>threshold at ½</source>
        <translation>½에서 임계값 처리</translation>
    </message>
    <message>
        <source>drawn once, seeded</source>
        <translation>시드로 한 번 추출</translation>
    </message>
    <message>
        <source>drawn afresh each epoch</source>
        <translation>에폭마다 새로 추출</translation>
    </message>
    <message>
        <source>pixels: binarized, {how}</source>
        <translation>픽셀: 이진화, {how}</translation>
    </message>
    <message>
        <source>pixels: {k} levels, k / {top}</source>
        <translation>픽셀: {k}단계, k / {top}</translation>
    </message>
    <message>
        <source>pixels: {k} levels + noise, (k + u) / {k}</source>
        <translation>픽셀: {k}단계 + 잡음, (k + u) / {k}</translation>
    </message>
    <message>
        <source>A binary model is fed binarized images: 0 or 1 per pixel.</source>
        <translation>이진 모델은 이진화된 이미지를 입력받습니다: 픽셀마다 0 또는 1입니다.</translation>
    </message>
    <message>
        <source>The images are quantized to K = {k} gray levels (equal bins); a pixel of level k has the value k / {top}.</source>
        <translation>이미지를 K = {k}개의 회색 단계(같은 폭의 구간)로 양자화합니다. 단계 k인 픽셀의 값은 k / {top}입니다.</translation>
    </message>
    <message>
        <source>Bits/dim are −log₂ p(x) / n.</source>
        <translation>bits/dim은 −log₂ p(x) / n입니다.</translation>
    </message>
    <message>
        <source>A continuous model sees each dequantized, (k + u) / {k} with u uniform in [0, 1), fresh noise each epoch (fixed noise when validating); its bits/dim add log₂ {k} to −log₂ p(x) / n, the bound on the discrete data&apos;s bits/dim that flow papers report.</source>
        <translation>연속 모델은 각 픽셀을 역양자화한 (k + u) / {k}를 봅니다. u는 [0, 1)의 균등 분포이며 에폭마다 새 잡음을 씁니다(검증 때는 고정 잡음). 이때 bits/dim은 −log₂ p(x) / n에 log₂ {k}를 더한 값으로, 흐름(flow) 모델 논문들이 보고하는 이산 데이터 bits/dim의 상한입니다.</translation>
    </message>
    <message>
        <source>model</source>
        <extracomment>Every event of the current run, in order. Each run&apos;s likelihood, by colour, for its curves in bits/dim. The Compare orderings window, once opened. Choices the window remembers between sessions. Each form label, with its English text.</extracomment>
        <translation>모델</translation>
    </message>
    <message>
        <source>preset</source>
        <translation>프리셋</translation>
    </message>
    <message>
        <source>ordering</source>
        <translation>픽셀 순서</translation>
    </message>
    <message>
        <source>pixels</source>
        <translation>픽셀</translation>
    </message>
    <message>
        <source>levels K</source>
        <translation>단계 수 K</translation>
    </message>
    <message>
        <source>components M</source>
        <translation>성분 수 M</translation>
    </message>
    <message>
        <source>data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>binarization</source>
        <translation>이진화</translation>
    </message>
    <message>
        <source>augment</source>
        <translation>데이터 증강</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>에폭</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>max batches</source>
        <translation>최대 배치 수</translation>
    </message>
    <message>
        <source>name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Training by maximum likelihood</source>
        <extracomment>Renders the run&apos;s line (where it is, how it ended) in the language of the moment. The latest progress report of the current run, with its epochs. The epoch the samples shown were drawn after (None: none yet).</extracomment>
        <translation>최대 우도 학습</translation>
    </message>
    <message>
        <source>settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>The model to train</source>
        <translation>학습할 모델</translation>
    </message>
    <message>
        <source>A named size (the paper&apos;s, a small one, …)</source>
        <translation>이름 붙은 크기 (논문의 크기, 작은 크기, …)</translation>
    </message>
    <message>
        <source>Pixel ordering (the spatial models: raster only)</source>
        <translation>픽셀 순서 (공간 모델은 래스터만)</translation>
    </message>
    <message>
        <source>What one pixel&apos;s conditional is: binary, K levels, or continuous (the model&apos;s kind lists what it supports)</source>
        <translation>픽셀 하나의 조건부 분포: 이진, K단계, 또는 연속 (모델 종류마다 지원하는 것이 다릅니다)</translation>
    </message>
    <message>
        <source>K, the gray levels the data keeps</source>
        <translation>K, 데이터가 유지하는 회색 단계 수</translation>
    </message>
    <message>
        <source>M, the components of the mixture</source>
        <translation>M, 혼합 분포의 성분 수</translation>
    </message>
    <message>
        <source>class-conditional p(x | y)</source>
        <translation>클래스 조건부 p(x | y)</translation>
    </message>
    <message>
        <source>Model each digit class: enables p(y | x)</source>
        <translation>숫자 클래스별로 모델링합니다: p(y | x)를 쓸 수 있게 됩니다</translation>
    </message>
    <message>
        <source>Training data (validated on its valid or test split)</source>
        <translation>학습 데이터 (검증 분할 또는 테스트 분할로 검증)</translation>
    </message>
    <message>
        <source>Open a file or folder…</source>
        <translation>파일 또는 폴더 열기…</translation>
    </message>
    <message>
        <source>reading the data …</source>
        <translation>데이터를 읽는 중 …</translation>
    </message>
    <message>
        <source>What the chosen data holds</source>
        <translation>선택한 데이터의 내용</translation>
    </message>
    <message>
        <source>threshold: fixed at ½; stochastic: sampled once (seeded); dynamic: resampled every epoch</source>
        <translation>임계값: ½에서 고정, 확률적: 한 번 추출(시드 고정), 동적: 에폭마다 다시 추출</translation>
    </message>
    <message>
        <source>shift, rotate, scale, stroke</source>
        <translation>이동, 회전, 크기, 획</translation>
    </message>
    <message>
        <source>Passes over the training data</source>
        <translation>학습 데이터를 몇 번 훑을지</translation>
    </message>
    <message>
        <source>Images per Adam step</source>
        <translation>Adam 한 단계에 쓰는 이미지 수</translation>
    </message>
    <message>
        <source>Peak Adam learning rate (cosine decay)</source>
        <translation>Adam 최대 학습률 (코사인 감쇠)</translation>
    </message>
    <message>
        <source>Seeds weights, shuffling, augmentation and samples</source>
        <translation>가중치, 섞기, 증강, 샘플의 시드</translation>
    </message>
    <message>
        <source>Batches per epoch (0: all)</source>
        <translation>에폭당 배치 수 (0: 전부)</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>Name of the checkpoint in the model library</source>
        <translation>모델 라이브러리에 저장할 체크포인트 이름</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Start training (Ctrl+Return)</source>
        <translation>학습 시작 (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Pause before the next batch; press again to resume</source>
        <translation>다음 배치 전에 일시 정지합니다. 다시 누르면 이어서 합니다</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Stop before the next batch (the last checkpoint stays)</source>
        <translation>다음 배치 전에 멈춥니다 (마지막 체크포인트는 남습니다)</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>이 모델 사용</translation>
    </message>
    <message>
        <source>Compare orderings…</source>
        <translation>순서 비교…</translation>
    </message>
    <message>
        <source>Progress of the whole run</source>
        <translation>실행 전체의 진행 상황</translation>
    </message>
    <message>
        <source>Where the run is, its speed and time left</source>
        <translation>실행의 현재 위치, 속도, 남은 시간</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>에폭</translation>
    </message>
    <message>
        <source>Training loss (solid) and validation NLL (dashed, dots); drag or wheel to zoom, the A button fits the curves again</source>
        <translation>학습 손실(실선)과 검증 NLL(점선, 점). 끌거나 휠로 확대하고, A 버튼으로 곡선에 다시 맞춥니다</translation>
    </message>
    <message>
        <source>units</source>
        <translation>단위</translation>
    </message>
    <message>
        <source>Per image in nats, or per pixel in bits</source>
        <translation>이미지당 nats, 또는 픽셀당 bits</translation>
    </message>
    <message>
        <source>published results</source>
        <translation>발표된 결과</translation>
    </message>
    <message>
        <source>Dashed lines at the papers&apos; test NLLs on binarized MNIST, named at the right (the chosen model&apos;s line is darker)</source>
        <translation>논문들이 이진화 MNIST에서 보고한 테스트 NLL을 점선으로 표시하고 오른쪽에 이름을 붙입니다 (선택한 모델의 선이 더 진합니다)</translation>
    </message>
    <message>
        <source>log scale</source>
        <translation>로그 눈금</translation>
    </message>
    <message>
        <source>A logarithmic loss axis: shows a diverging run and the others at once</source>
        <translation>손실 축을 로그 눈금으로: 발산하는 실행과 다른 실행을 한꺼번에 보여 줍니다</translation>
    </message>
    <message>
        <source>Clear old runs</source>
        <translation>지난 실행 지우기</translation>
    </message>
    <message>
        <source>Remove the curves of runs that have ended</source>
        <translation>끝난 실행의 곡선을 지웁니다</translation>
    </message>
    <message>
        <source>Each run&apos;s colour; solid: training loss, dashed: valid</source>
        <translation>실행마다의 색. 실선: 학습 손실, 점선: 검증</translation>
    </message>
    <message>
        <source>Samples after the latest epoch</source>
        <translation>최근 에폭 뒤의 샘플</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>계속</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>samples after each epoch</source>
        <translation>에폭마다의 샘플</translation>
    </message>
    <message>
        <source>samples after epoch {epoch}</source>
        <translation>에폭 {epoch} 뒤의 샘플</translation>
    </message>
    <message>
        <source>Setting problem: {problem}</source>
        <translation>설정 오류: {problem}</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>학습 데이터</translation>
    </message>
    <message>
        <source>Images (*.npz *.npy);;All files (*)</source>
        <translation>이미지 (*.npz *.npy);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>{count} held out</source>
        <translation>검증용 {count}개</translation>
    </message>
    <message>
        <source>no held-out split (no validation curve)</source>
        <translation>검증 분할 없음 (검증 곡선 없음)</translation>
    </message>
    <message>
        <source>binary</source>
        <translation>이진</translation>
    </message>
    <message>
        <source>{levels} levels</source>
        <translation>{levels}단계</translation>
    </message>
    <message>
        <source>{classes} classes</source>
        <translation>클래스 {classes}개</translation>
    </message>
    <message>
        <source>no labels</source>
        <translation>레이블 없음</translation>
    </message>
    <message>
        <source>{count} to train, {valid}; {h}×{w}, {grey}, {labels}</source>
        <translation>학습용 {count}개, {valid}; {h}×{w}, {grey}, {labels}</translation>
    </message>
    <message>
        <source>Cannot read the data</source>
        <translation>데이터를 읽을 수 없습니다</translation>
    </message>
    <message>
        <source>cannot read the data: {problem}</source>
        <translation>데이터를 읽을 수 없습니다: {problem}</translation>
    </message>
    <message>
        <source>Name taken</source>
        <translation>이미 있는 이름</translation>
    </message>
    <message>
        <source>Your library already has a run called {name}.</source>
        <translation>라이브러리에 {name}(이)라는 실행이 이미 있습니다.</translation>
    </message>
    <message>
        <source>Replace it with this run ({files} will be overwritten as the run saves), or keep both and save this one as {free}?</source>
        <translation>이 실행으로 바꾸시겠습니까(실행이 저장될 때 {files}을(를) 덮어씁니다), 아니면 둘 다 두고 이 실행을 {free}(으)로 저장하시겠습니까?</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>바꾸기</translation>
    </message>
    <message>
        <source>Keep both</source>
        <translation>둘 다 유지</translation>
    </message>
    <message>
        <source>training starts once {data} is read …</source>
        <translation>{data}을(를) 다 읽으면 학습을 시작합니다 …</translation>
    </message>
    <message>
        <source>training not started: the name is taken</source>
        <translation>학습을 시작하지 않았습니다: 이미 있는 이름입니다</translation>
    </message>
    <message>
        <source>Cannot start training</source>
        <translation>학습을 시작할 수 없습니다</translation>
    </message>
    <message>
        <source>cannot start training: {problem}</source>
        <translation>학습을 시작할 수 없습니다: {problem}</translation>
    </message>
    <message>
        <source>starting {name} …</source>
        <translation>{name} 시작하는 중 …</translation>
    </message>
    <message>
        <source>training {name} on {data}</source>
        <translation>{data}(으)로 {name} 학습 중</translation>
    </message>
    <message>
        <source>Train this model and data under several orderings, one after another, and compare their validation NLL</source>
        <translation>이 모델과 데이터를 여러 픽셀 순서로 차례로 학습하고 검증 NLL을 비교합니다</translation>
    </message>
    <message>
        <source>This model is trained in raster order only: nothing to compare</source>
        <translation>이 모델은 래스터 순서로만 학습합니다: 비교할 것이 없습니다</translation>
    </message>
    <message>
        <source>{data} is still being read; try again in a moment</source>
        <translation>{data}을(를) 아직 읽는 중입니다. 잠시 후 다시 시도하십시오</translation>
    </message>
    <message>
        <source> · paused</source>
        <translation> · 일시 정지됨</translation>
    </message>
    <message>
        <source>paused before the next batch</source>
        <translation>다음 배치 전에 일시 정지했습니다</translation>
    </message>
    <message>
        <source>training resumed</source>
        <translation>학습을 이어서 합니다</translation>
    </message>
    <message>
        <source>stopping before the next batch …</source>
        <translation>다음 배치 전에 멈추는 중 …</translation>
    </message>
    <message>
        <source>the window closed</source>
        <translation>창을 닫았습니다</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>학습 실패</translation>
    </message>
    <message>
        <source>training failed: {problem}</source>
        <translation>학습에 실패했습니다: {problem}</translation>
    </message>
    <message>
        <source>epoch {epoch}: train {train:.2f}, valid {valid} nats</source>
        <translation>에폭 {epoch}: 학습 {train:.2f}, 검증 {valid} nats</translation>
    </message>
    <message>
        <source>training {status}: {reason}</source>
        <translation>학습 {status}: {reason}</translation>
    </message>
    <message>
        <source>training {status}</source>
        <translation>학습 {status}</translation>
    </message>
    <message>
        <source>epoch {epoch} of {epochs} · batch {step} of {steps} · {speed} images/s · loss {loss:.2f} nats ({bits:.4f} bits/dim)</source>
        <translation>에폭 {epoch}/{epochs} · 배치 {step}/{steps} · 초당 이미지 {speed}개 · 손실 {loss:.2f} nats ({bits:.4f} bits/dim)</translation>
    </message>
    <message>
        <source> · ETA {clock}</source>
        <translation> · 남은 시간 {clock}</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <source>{name}: {status} after {done} of {epochs} epochs</source>
        <translation>{name}: 에폭 {epochs}개 중 {done}개 후 {status}</translation>
    </message>
    <message>
        <source> · last validation NLL {nll:.2f} nats</source>
        <translation> · 마지막 검증 NLL {nll:.2f} nats</translation>
    </message>
    <message>
        <source>using {name}</source>
        <translation>{name} 사용 중</translation>
    </message>
    <message>
        <source>Make {name}&apos;s latest checkpoint the current model</source>
        <translation>{name}의 최신 체크포인트를 현재 모델로 씁니다</translation>
    </message>
    <message>
        <source>Available once this run has saved its first epoch</source>
        <translation>이 실행이 첫 에폭을 저장하면 쓸 수 있습니다</translation>
    </message>
    <message>
        <source>NLL (nats per image)</source>
        <translation>NLL (이미지당 nats)</translation>
    </message>
    <message>
        <source>NLL (bits/dim)</source>
        <translation>NLL (bits/dim)</translation>
    </message>
    <message>
        <source>{name} (up to {top} {unit})</source>
        <translation>{name} (최대 {top} {unit})</translation>
    </message>
    <message>
        <source>Off the top, so the other runs stay readable: {runs}. Tick log scale to see every value.</source>
        <translation>다른 실행을 알아볼 수 있도록 위로 벗어난 실행: {runs}. 모든 값을 보려면 「로그 눈금」을 선택하십시오.</translation>
    </message>
    <message>
        <source> (stopped)</source>
        <translation> (중지됨)</translation>
    </message>
    <message>
        <source> (failed)</source>
        <translation> (실패)</translation>
    </message>
    <message>
        <source> (running)</source>
        <translation> (실행 중)</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>학습 손실</translation>
    </message>
    <message>
        <source>validation NLL (each epoch)</source>
        <translation>검증 NLL (에폭마다)</translation>
    </message>
    <message>
        <source>{model}: {nll:.2f} nats ({source})</source>
        <translation>{model}: {nll:.2f} nats ({source})</translation>
    </message>
    <message>
        <source>Published test NLLs on binarized MNIST: {results}</source>
        <translation>이진화 MNIST에서 발표된 테스트 NLL: {results}</translation>
    </message>
    <message>
        <source>{model}, {source}: {nll:.2f} nats</source>
        <translation>{model}, {source}: {nll:.2f} nats</translation>
    </message>
</context>
</TS>
