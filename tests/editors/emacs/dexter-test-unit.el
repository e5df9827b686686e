;;; dexter-test-unit.el --- Dexter package pieces that need no server -*- lexical-binding: t; -*-

;;; Commentary:

;; Conversion of flymake and flycheck diagnostics to LSP, the settings
;; section, debouncing, and the explanation buffer fed by hand.

;;; Code:

(require 'package)
(package-initialize)
(require 'cl-lib)
(require 'ert)
(require 'flymake)
(require 'dexter)

(ert-deftest dexter-unit/settings-section-is-json-ready ()
  "Options become the section `dexter': lists as arrays, the model on top."
  (let ((dexter-model "ollama/qwen2.5-coder:7b")
        (dexter-fallback-chain '("openai/gpt-4o-mini"))
        (dexter-settings '(:model "ignored" :privacy (:excludeGlobs ("*.env")))))
    (let ((section (dexter-settings-section)))
      (should (equal (plist-get section :model) "ollama/qwen2.5-coder:7b"))
      (should (equal (plist-get section :fallbackChain) ["openai/gpt-4o-mini"]))
      (should (equal (plist-get (plist-get section :privacy) :excludeGlobs) ["*.env"]))
      (should (equal (json-parse-string (json-serialize section) :object-type 'plist)
                     section)))))

(ert-deftest dexter-unit/hash-tables-become-plists ()
  "lsp-mode's JSON objects read like eglot's."
  (let ((object (json-parse-string "{\"range\":{\"start\":{\"line\":1}},\"tags\":[{\"a\":1}]}")))
    (should (equal (dexter-plist object) '(:range (:start (:line 1)) :tags [(:a 1)])))
    (should (equal (dexter-get object :range) (gethash "range" object)))))

(defvar dexter-unit-reports nil "What the test backend reports.")

(defun dexter-unit-backend (report-fn &rest _)
  "Report `dexter-unit-reports' (a list of (REGEXP TYPE TEXT)) via REPORT-FN."
  (funcall report-fn
           (cl-loop for (regexp type text) in dexter-unit-reports
                    collect (save-excursion
                              (goto-char (point-min))
                              (re-search-forward regexp)
                              (flymake-make-diagnostic (current-buffer) (match-beginning 0)
                                                       (match-end 0) type text)))))

(defmacro dexter-unit-with-buffer (text &rest body)
  "Run BODY in a buffer holding TEXT with the test flymake backend."
  (declare (indent 1))
  `(with-temp-buffer
     (insert ,text)
     (setq-local flymake-diagnostic-functions (list #'dexter-unit-backend))
     (flymake-mode 1)
     (flymake-start)
     ,@body))

(ert-deftest dexter-unit/flymake-diagnostics-become-lsp-diagnostics ()
  "0-based lines and characters, severities, the backend as source."
  (let ((dexter-unit-reports '(("nam" :error "undefined name 'nam'")
                               ("unused" :warning "unused variable")
                               ("todo" :note "a note"))))
    (dexter-unit-with-buffer "x = 1\n  y = nam\n# é unused todo\n"
      (let ((diagnostics (dexter-diagnostics-collect
                          (lambda (pos) (dexter-client-position nil pos)))))
        (should (equal (mapcar (lambda (d) (plist-get d :severity)) diagnostics) '(1 2 3)))
        (should (equal (plist-get (car diagnostics) :range)
                       '(:start (:line 1 :character 6) :end (:line 1 :character 9))))
        (should (equal (plist-get (cadr diagnostics) :range)
                       '(:start (:line 2 :character 4) :end (:line 2 :character 10))))
        (should (equal (plist-get (car diagnostics) :source) "dexter-unit"))
        (should (equal (plist-get (car diagnostics) :message) "undefined name 'nam'"))))))

(ert-deftest dexter-unit/ignored-backends-are-not-forwarded ()
  "Diagnostics of `dexter-forward-ignored-backends' stay home."
  (let ((dexter-unit-reports '(("nam" :error "undefined name 'nam'")))
        (dexter-forward-ignored-backends '(dexter-unit-backend)))
    (dexter-unit-with-buffer "y = nam\n"
      (should-not (dexter-diagnostics-collect
                   (lambda (pos) (dexter-client-position nil pos)))))))

;; A stand-in for flycheck's error structure (flycheck is not installed here).
(cl-defstruct (dexter-unit-flycheck-error (:constructor dexter-unit-flycheck-error))
  line column end-line end-column level message id checker)

(ert-deftest dexter-unit/flycheck-errors-become-lsp-diagnostics ()
  "1-based flycheck lines and columns become 0-based; id is the code."
  (cl-letf (((symbol-function 'flycheck-error-line) #'dexter-unit-flycheck-error-line)
            ((symbol-function 'flycheck-error-column) #'dexter-unit-flycheck-error-column)
            ((symbol-function 'flycheck-error-end-line)
             #'dexter-unit-flycheck-error-end-line)
            ((symbol-function 'flycheck-error-end-column)
             #'dexter-unit-flycheck-error-end-column)
            ((symbol-function 'flycheck-error-level) #'dexter-unit-flycheck-error-level)
            ((symbol-function 'flycheck-error-message) #'dexter-unit-flycheck-error-message)
            ((symbol-function 'flycheck-error-id) #'dexter-unit-flycheck-error-id)
            ((symbol-function 'flycheck-error-checker) #'dexter-unit-flycheck-error-checker))
    (with-temp-buffer
      (insert "import os\nprint(undefined)\n")
      (setq-local flycheck-mode t)
      (setq-local flycheck-current-errors
                  (list (dexter-unit-flycheck-error :line 2 :column 7 :end-line 2
                                                    :end-column 16 :level 'error
                                                    :message "undefined name"
                                                    :id "F821" :checker 'python-flake8)
                        (dexter-unit-flycheck-error :line 1 :level 'warning
                                                    :message "unused import"
                                                    :checker 'python-pylint)))
      (let ((diagnostics (dexter-diagnostics-collect
                          (lambda (pos) (dexter-client-position nil pos)))))
        (should (equal (cadr diagnostics)
                       '(:range (:start (:line 1 :character 6) :end (:line 1 :character 15))
                                :severity 1 :source "python-flake8"
                                :message "undefined name" :code "F821")))
        ;; No column: the whole line.
        (should (equal (plist-get (car diagnostics) :range)
                       '(:start (:line 0 :character 0) :end (:line 0 :character 9))))
        (should (equal (plist-get (car diagnostics) :severity) 2))))))

(defvar dexter-unit-sent nil "Notifications the fake client sent, newest first.")
(defvar dexter-unit-client-diagnostics nil "What the fake client's other servers report.")

(cl-defmethod dexter-client-notify ((_client (eql unit-fake)) method params)
  "Record METHOD and PARAMS."
  (push (cons method params) dexter-unit-sent))
(cl-defmethod dexter-client-uri ((_client (eql unit-fake)))
  "A fixed URI." "file:///p/main.py")
(cl-defmethod dexter-client-diagnostics ((_client (eql unit-fake)))
  "The other servers' diagnostics." dexter-unit-client-diagnostics)

(ert-deftest dexter-unit/forwarding-merges-sources-and-sends-changes-only ()
  "flymake's and the client's other servers' diagnostics go in one list, once."
  (let ((dexter-unit-reports '(("nam" :error "undefined name 'nam'")))
        (dexter-unit-client-diagnostics
         '((:range (:start (:line 0 :character 0) :end (:line 0 :character 1))
                   :severity 2 :source "pyright" :code "reportUnusedImport"
                   :message "\"os\" is not accessed")))
        (dexter-unit-sent nil))
    (dexter-unit-with-buffer "import os\ny = nam\n"
      (setq dexter--client 'unit-fake)
      (dexter--forward (current-buffer))
      (dexter--forward (current-buffer))
      (should (= 1 (length dexter-unit-sent)))
      (let ((params (cdar dexter-unit-sent)))
        (should (equal (caar dexter-unit-sent) "dexter/didChangeDiagnostics"))
        (should (equal (plist-get params :uri) "file:///p/main.py"))
        (should (equal (mapcar (lambda (d) (plist-get d :source)) (plist-get params :diagnostics))
                       '("pyright" "dexter-unit"))))
      (setq dexter-unit-reports nil)
      (flymake-start)
      (dexter--forward (current-buffer))
      (should (= 2 (length dexter-unit-sent)))
      (should (= 1 (length (plist-get (cdar dexter-unit-sent) :diagnostics)))))))

(ert-deftest dexter-unit/only-changes-are-sent ()
  "The same diagnostics twice are sent once; a change or clearing is sent."
  (with-temp-buffer
    (should (dexter-diagnostics-changed-p '((:message "a"))))
    (should-not (dexter-diagnostics-changed-p '((:message "a"))))
    (should (dexter-diagnostics-changed-p '((:message "b"))))
    (should (dexter-diagnostics-changed-p nil))
    (should-not (dexter-diagnostics-changed-p nil))))

(ert-deftest dexter-unit/reports-are-debounced ()
  "A burst of flymake reports calls the watcher once, after the delay."
  (let ((calls 0)
        (dexter-forward-delay 0.05))
    (with-temp-buffer
      (dexter-diagnostics-watch (lambda (_buffer) (cl-incf calls)))
      (dotimes (_ 5) (dexter-diagnostics-schedule))
      (should (= 1 (cl-count-if (lambda (timer)
                                  (eq (timer--function timer) #'dexter-diagnostics--fire))
                                timer-list)))
      (with-timeout (5 (ert-fail "the watcher was never called"))
        (while (= calls 0) (accept-process-output nil 0.02)))
      (should (= calls 1))
      (should-not dexter-diagnostics--timer)
      (dexter-diagnostics-unwatch))))

(defconst dexter-unit-diagnostic
  '(:range (:start (:line 4 :character 22) :end (:line 4 :character 25))
           :message "undefined name 'nam'" :source "pyflakes" :code "F821"))

(ert-deftest dexter-unit/explanation-buffer-streams-then-shows-the-result ()
  "Chunks of this request append; others are ignored; the result replaces them."
  (let ((buffer (dexter-view-start "r1" "file:///p/main.py" dexter-unit-diagnostic
                                   (current-buffer))))
    (with-current-buffer buffer
      (when (require 'markdown-mode nil t)
        (should (derived-mode-p 'markdown-mode)))
      (should (eq dexter-view-state 'waiting))
      (dexter-view-chunk '(:id "r1" :model "m/a" :text "The name "))
      (dexter-view-chunk '(:id "r0" :model "m/a" :text "STALE"))
      ;; An older server sends no id: uri and range tie the chunk to the request.
      (dexter-view-chunk (list :uri "file:///p/main.py" :model "m/a" :text "is undefined."
                               :range (plist-get dexter-unit-diagnostic :range)))
      (should (eq dexter-view-state 'streaming))
      (let ((text (buffer-string)))
        (should (string-match-p "^# Dexter: \\[pyflakes\\] F821: undefined name 'nam'" text))
        (should (string-match-p "m/a is answering" text))
        (should (string-match-p "The name is undefined\\.\\'" text))
        (should-not (string-match-p "STALE" text)))
      (dexter-view-finish "r0" '(:markdown "WRONG"))
      (should (eq dexter-view-state 'streaming))
      (dexter-view-finish "r1" '(:markdown "Final answer.\n\n```python\nname = 1\n```\n"
                                 :model "builtin/reference" :requestedModel "m/a"
                                 :latencyMs 1234.0 :cached :json-false
                                 :attempts [(:model "m/a" :outcome "failed"
                                                    :errorClass "connection")
                                            (:model "builtin/reference"
                                                    :outcome "success")]))
      (should (eq dexter-view-state 'done))
      (let ((text (buffer-string)))
        (should (string-match-p "explained by builtin/reference · in 1.2 s · asked m/a first · m/a: connection" text))
        (should (string-match-p "Final answer\\." text))
        (should-not (string-match-p "The name is undefined" text)))
      (dexter-explanation-copy-fix)
      (should (equal (current-kill 0) "name = 1\n")))))

(ert-deftest dexter-unit/progress-shows-until-text-streams ()
  "Progress of this request updates the status line; others and late ones do not."
  (with-current-buffer (dexter-view-start "r3" "file:///p/main.py" dexter-unit-diagnostic
                                          (current-buffer))
    (dexter-view-progress '(:token "r3" :value (:kind "begin" :title "Dexter: explaining")))
    (should (string-match-p "_Dexter: explaining…_" (buffer-string)))
    (dexter-view-progress '(:token "other" :value (:kind "report" :message "asking x/y")))
    (dexter-view-progress '(:token "r3" :value (:kind "report" :message "asking m/a")))
    (should (string-match-p "_asking m/a…_" (buffer-string)))
    (dexter-view-chunk '(:id "r3" :model "m/a" :text "Text"))
    (dexter-view-progress '(:token "r3" :value (:kind "report" :message "later")))
    (should (string-match-p "m/a is answering" (buffer-string)))
    (should-not (string-match-p "later" (buffer-string)))))

(ert-deftest dexter-unit/a-failure-is-shown ()
  "An error reply says what failed in the buffer."
  (with-current-buffer (dexter-view-start "r2" "file:///p/main.py" dexter-unit-diagnostic
                                          (current-buffer))
    (dexter-view-fail "r2" "dexter.explain: unknown model 'x/y'")
    (should (eq dexter-view-state 'failed))
    (should (string-match-p "failed: dexter.explain: unknown model 'x/y'" (buffer-string)))))

(ert-deftest dexter-unit/commands-need-a-server ()
  "Without Dexter in the buffer, commands say so instead of failing oddly."
  (with-temp-buffer
    (should-error (dexter-explain-at-point) :type 'user-error)
    (should-error (dexter-select-model "builtin/reference") :type 'user-error)))

(provide 'dexter-test-unit)
;;; dexter-test-unit.el ends here
