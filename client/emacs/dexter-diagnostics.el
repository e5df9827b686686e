;;; dexter-diagnostics.el --- Other tools' diagnostics, as LSP sees them -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Dexter LS authors

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Reads the diagnostics flymake (every backend) and flycheck (when
;; loaded) show in a buffer, converts them to LSP Diagnostic objects
;; (0-based lines and characters) and tells a watcher, debounced, when
;; they changed, so Dexter can explain them and offer code actions.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'flymake)

(defvar flycheck-current-errors)
(defvar flycheck-mode)
(declare-function flycheck-error-line "ext:flycheck" (err))
(declare-function flycheck-error-column "ext:flycheck" (err))
(declare-function flycheck-error-end-line "ext:flycheck" (err))
(declare-function flycheck-error-end-column "ext:flycheck" (err))
(declare-function flycheck-error-level "ext:flycheck" (err))
(declare-function flycheck-error-message "ext:flycheck" (err))
(declare-function flycheck-error-id "ext:flycheck" (err))
(declare-function flycheck-error-checker "ext:flycheck" (err))

(defcustom dexter-forward-delay 0.3
  "Seconds to wait after diagnostics change before sending them to Dexter."
  :type 'number
  :group 'dexter)

(defcustom dexter-forward-ignored-backends
  '(eglot-flymake-backend lsp-diagnostics--flymake-backend)
  "Flymake backends whose diagnostics are not forwarded.
With eglot, `eglot-flymake-backend' holds what Dexter itself published.
lsp-mode's diagnostics are forwarded from lsp-mode itself, with their
source and code, which its flymake backend drops."
  :type '(repeat symbol)
  :group 'dexter)

(defcustom dexter-forward-ignored-checkers '(lsp)
  "Flycheck checkers whose errors are not forwarded.
lsp-mode's checker `lsp' is forwarded from lsp-mode itself."
  :type '(repeat symbol)
  :group 'dexter)

(defvar-local dexter-diagnostics--watcher nil
  "Function called with the buffer when its diagnostics may have changed.")
(defvar-local dexter-diagnostics--timer nil "Pending debounced call.")
(defvar-local dexter-diagnostics--sent :none "The diagnostics last forwarded.")

(defun dexter-diagnostics--position (pos-fn pos)
  "The LSP position of POS (clamped to the buffer), computed by POS-FN."
  (funcall pos-fn (max (point-min) (min pos (point-max)))))

(defun dexter-diagnostics--severity (type)
  "The LSP severity (1 error … 3 information) of flymake diagnostic TYPE."
  (let ((severity (flymake--lookup-type-property type 'severity
                                                 (warning-numeric-level :error))))
    (cond ((>= severity (warning-numeric-level :error)) 1)
          ((>= severity (warning-numeric-level :warning)) 2)
          (t 3))))

(defun dexter-diagnostics--source (backend)
  "A short source name for flymake BACKEND (`flymake-ruff' -> \"ruff\")."
  (if (symbolp backend)
      (let ((name (symbol-name backend)))
        (setq name (car (split-string name "--")))
        (setq name (string-remove-prefix "flymake-" name))
        (setq name (string-remove-suffix "-flymake" name))
        (setq name (string-remove-suffix "-backend" name))
        (if (string-empty-p name) "flymake" name))
    "flymake"))

(defun dexter-diagnostics--from-flymake (pos-fn)
  "The buffer's flymake diagnostics as LSP Diagnostic plists, via POS-FN."
  (when (bound-and-true-p flymake-mode)
    (cl-loop for diag in (flymake-diagnostics)
             for backend = (flymake-diagnostic-backend diag)
             unless (memq backend dexter-forward-ignored-backends)
             collect (list :range (list :start (dexter-diagnostics--position
                                                pos-fn (flymake-diagnostic-beg diag))
                                        :end (dexter-diagnostics--position
                                              pos-fn (flymake-diagnostic-end diag)))
                           :severity (dexter-diagnostics--severity
                                      (flymake-diagnostic-type diag))
                           :source (dexter-diagnostics--source backend)
                           :message (flymake-diagnostic-text diag)))))

(defun dexter-diagnostics--line-column (line column)
  "Buffer position of 1-based LINE and 1-based COLUMN (nil: the line's start)."
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- (max 1 line)))
    (min (line-end-position) (+ (point) (max 0 (1- (or column 1)))))))

(defun dexter-diagnostics--flycheck-severity (level)
  "The LSP severity of flycheck LEVEL."
  (pcase level ('error 1) ('warning 2) (_ 3)))

(defun dexter-diagnostics--from-flycheck (pos-fn)
  "The buffer's flycheck errors as LSP Diagnostic plists, via POS-FN."
  (when (and (bound-and-true-p flycheck-mode) (boundp 'flycheck-current-errors))
    (save-restriction
      (widen)
      (cl-loop
       for err in flycheck-current-errors
       unless (memq (flycheck-error-checker err) dexter-forward-ignored-checkers)
       for line = (or (flycheck-error-line err) 1)
       for beg = (dexter-diagnostics--line-column line (flycheck-error-column err))
       for end-line = (flycheck-error-end-line err)
       for end = (cond (end-line (dexter-diagnostics--line-column
                                  end-line (flycheck-error-end-column err)))
                       ((flycheck-error-column err)
                        (save-excursion (goto-char beg) (line-end-position)))
                       (t (save-excursion (goto-char beg) (line-end-position))))
       collect (append (list :range (list :start (dexter-diagnostics--position pos-fn beg)
                                          :end (dexter-diagnostics--position
                                                pos-fn (max beg end)))
                             :severity (dexter-diagnostics--flycheck-severity
                                        (flycheck-error-level err))
                             :source (format "%s" (flycheck-error-checker err))
                             :message (or (flycheck-error-message err) ""))
                       (and (flycheck-error-id err)
                            (list :code (format "%s" (flycheck-error-id err)))))))))

(defun dexter-diagnostics-before-p (a b)
  "Return non-nil when diagnostic A begins before diagnostic B."
  (let ((start-a (plist-get (plist-get a :range) :start))
        (start-b (plist-get (plist-get b :range) :start)))
    (or (< (plist-get start-a :line) (plist-get start-b :line))
        (and (= (plist-get start-a :line) (plist-get start-b :line))
             (< (plist-get start-a :character) (plist-get start-b :character))))))

(defun dexter-diagnostics-collect (pos-fn)
  "Every forwarded diagnostic of the current buffer, positions from POS-FN.
In buffer order, so the same diagnostics always compare equal."
  (save-restriction
    (widen)
    (sort (append (dexter-diagnostics--from-flymake pos-fn)
                  (dexter-diagnostics--from-flycheck pos-fn))
          #'dexter-diagnostics-before-p)))

(defun dexter-diagnostics-at-point (pos-fn)
  "Forwarded diagnostics on the line at point, positions from POS-FN."
  (let ((line (plist-get (funcall pos-fn (point)) :line)))
    (cl-remove-if-not
     (lambda (diag)
       (let ((range (plist-get diag :range)))
         (<= (plist-get (plist-get range :start) :line) line
             (plist-get (plist-get range :end) :line))))
     (dexter-diagnostics-collect pos-fn))))

(defun dexter-diagnostic-label (diag)
  "How DIAG (an LSP Diagnostic plist) is shown in a choice."
  (let ((code (plist-get diag :code)))
    (format "[%s] %s%s (line %d)"
            (or (plist-get diag :source) "?")
            (if code (format "%s: " code) "")
            (plist-get diag :message)
            (1+ (plist-get (plist-get (plist-get diag :range) :start) :line)))))

(defun dexter-diagnostics-changed-p (diagnostics)
  "Non-nil when DIAGNOSTICS differ from those last sent; remember them."
  (unless (equal diagnostics dexter-diagnostics--sent)
    (setq dexter-diagnostics--sent diagnostics)
    t))

(defun dexter-diagnostics--fire (buffer)
  "Run BUFFER's watcher."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      (setq dexter-diagnostics--timer nil)
      (when dexter-diagnostics--watcher
        (funcall dexter-diagnostics--watcher buffer)))))

(defun dexter-diagnostics-schedule (&rest _)
  "Call the current buffer's watcher once diagnostics have settled."
  (when dexter-diagnostics--watcher
    (when (timerp dexter-diagnostics--timer)
      (cancel-timer dexter-diagnostics--timer))
    (setq dexter-diagnostics--timer
          (run-with-timer dexter-forward-delay nil
                          #'dexter-diagnostics--fire (current-buffer)))))

(defun dexter-diagnostics-watch (watcher)
  "Call WATCHER with the buffer, debounced, whenever its diagnostics change."
  (setq dexter-diagnostics--watcher watcher
        dexter-diagnostics--sent :none)
  ;; flymake has no public "diagnostics changed" hook: every report goes
  ;; through `flymake--handle-report' (Emacs 26 to 30).
  (when (fboundp 'flymake--handle-report)
    (advice-add 'flymake--handle-report :after #'dexter-diagnostics-schedule))
  (add-hook 'flycheck-after-syntax-check-hook #'dexter-diagnostics-schedule nil t)
  (dexter-diagnostics-schedule))

(defun dexter-diagnostics-unwatch ()
  "Stop watching the current buffer."
  (when (timerp dexter-diagnostics--timer)
    (cancel-timer dexter-diagnostics--timer))
  (setq dexter-diagnostics--watcher nil
        dexter-diagnostics--timer nil)
  (remove-hook 'flycheck-after-syntax-check-hook #'dexter-diagnostics-schedule t))

(provide 'dexter-diagnostics)
;;; dexter-diagnostics.el ends here
