;;; dexter-test-support.el --- Shared pieces of the Dexter ERT suites -*- lexical-binding: t; -*-

;;; Commentary:

;; Driven by tests/editors/test_emacs.py, which sets:
;;   DEXTER_TEST_ROOT    a workspace folder holding main.py
;;   DEXTER_TEST_SERVER  the dexter-ls executable
;;   DEXTER_TEST_LOG     where the server writes its log
;;   DEXTER_TEST_OPENAI  base URL of the fake OpenAI server (streams)
;;   DEXTER_TEST_DEAD    base URL of a closed 127.0.0.1 port
;; Every wait is on state (accept-process-output loops with a timeout);
;; a failure reports *Messages*, the server's stderr and log, and the
;; explanation buffer.

;;; Code:

;; What Emacs does at start-up when not in batch mode: activate the
;; installed packages (Debian's elpa-* included), autoloads and all.
(require 'package)
(package-initialize)

(require 'cl-lib)
(require 'ert)
(require 'flymake)
(require 'python)
(require 'dexter)

(defvar dexter-test-root (file-name-as-directory (getenv "DEXTER_TEST_ROOT")))
(defvar dexter-test-file (expand-file-name "main.py" dexter-test-root))
(defconst dexter-test-wait-seconds 30 "Longest wait for any state.")

(setq dexter-server-command
      (list (getenv "DEXTER_TEST_SERVER") "--log-level" "DEBUG"
            "--log-file" (getenv "DEXTER_TEST_LOG")))

(defun dexter-test-file-text (file)
  "FILE's contents, or a note that it is missing."
  (if (and file (file-readable-p file))
      (with-temp-buffer (insert-file-contents file) (buffer-string))
    (format "(no %s)" file)))

(defun dexter-test-buffer-text (name)
  "The text of buffers whose name match NAME, labelled."
  (mapconcat (lambda (buffer)
               (format "==== %s ====\n%s" (buffer-name buffer)
                       (with-current-buffer buffer
                         (buffer-substring-no-properties
                          (max (point-min) (- (point-max) 6000)) (point-max)))))
             (cl-remove-if-not (lambda (b) (string-match-p name (buffer-name b)))
                               (buffer-list))
             "\n"))

(defun dexter-test-report ()
  "Everything useful to read when a test fails."
  (concat (dexter-test-buffer-text "\\*Messages\\*") "\n"
          (dexter-test-buffer-text "lsp-log") "\n"
          (dexter-test-buffer-text "stderr") "\n"
          (dexter-test-buffer-text "EGLOT") "\n"
          (dexter-test-buffer-text "dexter-explanation") "\n"
          "==== server log ====\n"
          (let ((log (dexter-test-file-text (getenv "DEXTER_TEST_LOG"))))
            (substring log (max 0 (- (length log) 6000))))))

(defun dexter-test-wait (what predicate &optional seconds)
  "Wait until PREDICATE returns non-nil, at most SECONDS; return its value.
On time-out, fail naming WHAT, with the editor's logs."
  (let ((deadline (+ (float-time) (or seconds dexter-test-wait-seconds)))
        value)
    (while (and (not (setq value (funcall predicate)))
                (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value
        (ert-fail (list (format "timed out waiting for %s" what)
                        (dexter-test-report))))))

;;;; A second diagnostics source: a flymake backend like pyflakes'

(defvar dexter-test-flymake-calls 0 "How often the test backend ran.")

(defun pyflakes-flymake (report-fn &rest _)
  "A flymake backend that reports the undefined name `nam' via REPORT-FN."
  (cl-incf dexter-test-flymake-calls)
  (save-excursion
    (goto-char (point-min))
    (if (re-search-forward "\\_<nam\\_>" nil t)
        (funcall report-fn
                 (list (flymake-make-diagnostic (current-buffer) (match-beginning 0)
                                                (match-end 0) :error
                                                "undefined name 'nam'")))
      (funcall report-fn nil))))

(defun dexter-test-goto-diagnostic ()
  "Put point on the undefined name."
  (goto-char (point-min))
  (re-search-forward "\\_<nam\\_>")
  (goto-char (match-beginning 0)))

(defun dexter-test-open-python ()
  "Visit main.py in `python-mode' with the test flymake backend on."
  (let ((buffer (find-file-noselect dexter-test-file)))
    (set-buffer buffer)
    (switch-to-buffer buffer)
    (python-mode)
    (setq-local flymake-diagnostic-functions (list #'pyflakes-flymake))
    (flymake-mode 1)
    (flymake-start)
    (dexter-test-wait "the flymake diagnostic"
                      (lambda () (flymake-diagnostics (point-min) (point-max))))
    buffer))

(defun dexter-test-wait-forwarded ()
  "Wait until the flymake diagnostic has been sent to Dexter."
  (dexter-test-wait "the diagnostics to be forwarded"
                    (lambda () (and (consp dexter-diagnostics--sent)
                                    dexter-diagnostics--sent))))

;;;; The explanation buffer

(defvar dexter-test-chunks nil "Chunk params seen, newest first.")
(defvar dexter-test-bodies nil "The explanation buffer after each chunk, newest first.")

(defun dexter-test-record-chunk (params)
  "Remember the chunk PARAMS and what the buffer showed afterwards."
  (push params dexter-test-chunks)
  (when-let ((buffer (get-buffer dexter-explanation-buffer-name)))
    (with-current-buffer buffer
      (push (cons dexter-view-state (buffer-substring-no-properties (point-min) (point-max)))
            dexter-test-bodies))))

(advice-add 'dexter-view-chunk :after #'dexter-test-record-chunk)

(defun dexter-test-explanation-state ()
  "The explanation buffer's state, or nil."
  (when-let ((buffer (get-buffer dexter-explanation-buffer-name)))
    (buffer-local-value 'dexter-view-state buffer)))

(defun dexter-test-wait-explanation ()
  "Wait for the explanation to finish; return the buffer's text."
  (dexter-test-wait "the explanation"
                    (lambda () (memq (dexter-test-explanation-state) '(done failed))))
  (with-current-buffer dexter-explanation-buffer-name
    (unless (eq dexter-view-state 'done)
      (ert-fail (list "the explanation failed" (buffer-string) (dexter-test-report))))
    (buffer-substring-no-properties (point-min) (point-max))))

(defun dexter-test-explanation-result ()
  "The result object of the explanation shown."
  (buffer-local-value 'dexter-view--result (get-buffer dexter-explanation-buffer-name)))

(defun dexter-test-should-show (text expected)
  "Fail unless TEXT contains EXPECTED, showing both."
  (unless (string-match-p (regexp-quote expected) text)
    (ert-fail (list (format "expected %S in the explanation buffer" expected) text))))

(defun dexter-test-provider-settings (model base-url)
  "Settings naming MODEL first, served by an OpenAI-compatible BASE-URL."
  (setq dexter-model model
        dexter-settings
        (list :cache (list :enabled :json-false)
              :providers (list :local (list :type "openai" :baseUrl base-url
                                            :apiKeyEnv "DEXTER_TEST_KEY"
                                            :timeoutSeconds 5)))))

(provide 'dexter-test-support)
;;; dexter-test-support.el ends here
